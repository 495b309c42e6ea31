package io.github.keypointj.launcher;

import ij.CommandListener;
import ij.Executer;
import ij.IJ;
import io.github.keypointj.commands.Failures;

import java.awt.HeadlessException;
import java.io.PrintStream;
import java.util.Map;

/**
 * What the launcher's headless mode says when an ImageJ 1.x command of a macro needs a display: ImageJ
 * logs the stack trace of a bare {@code java.awt.HeadlessException} (issue 27), printed to the standard
 * output without a Log window. Such a failure names the command and what to use instead, and counts as a
 * failed command, so the batch job ends with exit code 1.
 */
final class HeadlessErrors implements IJ.ExceptionHandler, CommandListener {

	/** The ImageJ command running: Executer keeps only the one before it. */
	private static volatile String running;

	private static final HeadlessErrors INSTANCE = new HeadlessErrors();

	/** Installs the launcher's headless error reporting (again: on the standard output of the moment). */
	static synchronized void install() {
		Executer.removeCommandListener(INSTANCE);
		Executer.addCommandListener(INSTANCE);
		IJ.setExceptionHandler(INSTANCE);
		if (!(System.out instanceof Explaining)) System.setOut(new Explaining(System.out));
	}

	@Override
	public String commandExecuting(final String command) {
		running = command;
		return command;
	}

	/**
	 * The standard output with ImageJ's logged HeadlessException traces replaced by {@link #explain}: ImageJ's
	 * Executer logs a failed command's trace (IJ.log) rather than passing it to an exception handler.
	 */
	private static final class Explaining extends PrintStream {

		Explaining(final PrintStream out) {
			super(out, true);
		}

		@Override
		public void println(final String line) {
			if (line != null && line.startsWith(HeadlessException.class.getName())) {
				final String message = explain(running);
				Failures.record(message);
				super.println(message);
			}
			else super.println(line);
		}
	}

	/** Macro functions that do without the dialog of a command. */
	static final Map<String, String> INSTEAD = Map.of(
		"Image Sequence...", "File.openSequence(folder, \"sort\") opens a folder as a stack without one",
		"Open...", "open(path) opens a file without one");

	/** Failures ImageJ hands to its exception handler (IJ.handleException), rather than logging them. */
	@Override
	public void handle(final Throwable failure) {
		if (!causedByHeadless(failure)) {
			failure.printStackTrace();
			return;
		}
		final String message = explain(running);
		System.err.println(message);
		Failures.record(message);
	}

	static String explain(final String command) {
		final String name = command == null || command.isBlank() ? "an ImageJ command" : "run(\"" + command + "\")";
		final String instead = command == null ? null : INSTEAD.get(command);
		return name + " needs a display: it opens a dialog or a window, and scripts/imagej --headless runs ImageJ " +
			"without one. " + (instead != null ? "Instead, " + instead + "; or " : "Give it every option in the macro " +
				"and ") + "run the macro in Fiji (ImageJ --headless), whose ImageJ takes a dialog's options from the macro.";
	}

	private static boolean causedByHeadless(final Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HeadlessException) return true;
		}
		return false;
	}
}
