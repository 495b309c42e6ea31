package io.github.keypointj.launcher;

import ij.IJ;
import ij.ImageJ;
import ij.macro.Interpreter;
import io.github.keypointj.commands.Failures;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;

import org.scijava.Context;

/**
 * Starts ImageJ 1.x with KeypointJ's commands, for machines without Fiji ({@code scripts/imagej}).
 *
 * <pre>
 * scripts/imagej                                  ImageJ with Plugins>KeypointJ
 * scripts/imagej --headless -macro FILE [ARG]     run a macro without a display, then exit
 * scripts/imagej -batch FILE [ARG]                the same (batch mode, no windows)
 * scripts/imagej -macro FILE [ARG]                run a macro in ImageJ's window
 * </pre>
 *
 * The exit code is 0 when the macro ran to its end and no KeypointJ command in it failed, 1 otherwise (a
 * macro error, exit("..."), or a command that reported "KeypointJ error").
 */
public final class Launcher {

	private Launcher() {}

	public static void main(final String[] args) throws Exception {
		boolean headless = false;
		boolean batch = false;
		Path macro = null;
		String argument = null;
		for (final Iterator<String> it = Arrays.asList(args).iterator(); it.hasNext();) {
			final String arg = it.next();
			if ("--headless".equals(arg) || "-headless".equals(arg)) headless = true;
			else if (("-macro".equals(arg) || "-batch".equals(arg)) && it.hasNext()) {
				batch |= "-batch".equals(arg);
				macro = Paths.get(it.next());
				if (it.hasNext()) argument = it.next();
			}
			else {
				System.err.println("Usage: imagej [--headless] [-macro FILE [ARG]] [-batch FILE [ARG]]");
				System.exit(2);
			}
		}
		if (headless || batch) System.setProperty("java.awt.headless", "true");
		final Context context = new Context();
		if (macro == null) {
			if (headless || batch) {
				System.err.println("Headless runs need a macro: -macro FILE or -batch FILE.");
				System.exit(2);
			}
			new ImageJ(ImageJ.STANDALONE);
			ImageJ1Commands.install(context);
			return;
		}
		if (!Files.isRegularFile(macro)) {
			System.err.println("Macro file not found: " + macro);
			System.exit(2);
		}
		if (!headless && !batch) {
			new ImageJ(ImageJ.STANDALONE);
			ImageJ1Commands.install(context);
			IJ.runMacro(Files.readString(macro, StandardCharsets.UTF_8), argument);
			return;
		}
		System.exit(runHeadless(context, macro, argument));
	}

	/**
	 * Runs a macro in batch mode without a display; 0 when it ran to its end and every KeypointJ command
	 * in it succeeded, 1 after a macro error, exit(), or a KeypointJ command that failed (a batch job can
	 * tell; the macro still runs to its end, as in Fiji). ImageJ 1.x shows macro errors in a dialog, which cannot open without a display: the error
	 * is printed instead.
	 */
	static int runHeadless(final Context context, final Path macro, final String argument) throws Exception {
		ImageJ1Commands.install(context);
		HeadlessErrors.install();
		Interpreter.batchMode = true;
		final Interpreter interpreter = new Interpreter();
		try {
			final int failedBefore = Failures.count();
			interpreter.run(Files.readString(macro, StandardCharsets.UTF_8), argument);
			if (interpreter.wasError()) return 1;
			final int failed = Failures.count() - failedBefore;
			if (failed > 0) System.err.println(failed + " command(s) failed; their messages are above.");
			return failed > 0 ? 1 : 0;
		}
		catch (final RuntimeException e) {
			if (interpreter.getErrorMessage() != null) {
				System.err.println("Macro error in " + macro.getFileName() + ", line " + interpreter.getLineNumber() + ": " +
					interpreter.getErrorMessage());
			}
			else if (!ij.Macro.MACRO_CANCELED.equals(e.getMessage())) {
				System.err.println("Macro failed: " + e);
			}
			return 1;
		}
		finally {
			context.dispose();
		}
	}
}
