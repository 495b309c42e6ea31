package io.github.keypointj.commands;

import ij.IJ;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.filter.Analyzer;
import io.github.keypointj.ImageJLegacy;
import io.github.keypointj.Progress;

import java.awt.GraphicsEnvironment;
import java.util.function.BooleanSupplier;

import org.scijava.Cancelable;
import org.scijava.command.ContextCommand;

/**
 * How commands talk to the user: messages in the Log (and a dialog when someone is looking), progress
 * in ImageJ's status bar, cancel by the command's own flag or the Esc key.
 */
final class UserFeedback {

	private UserFeedback() {}

	/** Whether windows can be shown and someone is there to see them (a live plot, also in a GUI macro). */
	static boolean interactive() {
		return !GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode() && IJ.getInstance() != null;
	}

	static void info(final String message) {
		IJ.log("KeypointJ: " + message);
	}

	/** One log line per file an importer skipped, and a summary. */
	static void skipped(final java.util.List<String> skipped) {
		for (final String line : skipped) IJ.log("KeypointJ: skipped " + line);
		if (!skipped.isEmpty()) info(skipped.size() + " file(s) skipped; see the lines above.");
	}

	/**
	 * Reports a problem the user can fix and cancels the command (or the preprocessor that checked its
	 * inputs) with it, so callers can see why; a macro goes on and can ask {@link MacroFunctions#lastError()}.
	 * One message: in Fiji, SciJava shows a cancelled command's reason in a dialog itself, so KeypointJ
	 * opens none there; inside a Fiji macro the Log is that message (a dialog per failed image of a batch
	 * would bury the user), so the reason is kept out of SciJava's dialog.
	 */
	static void fail(final Cancelable command, final String message) {
		IJ.log("KeypointJ error: " + message);
		Failures.record(message);
		final boolean fiji = ImageJLegacy.present();
		// not in a macro: ImageJ's error dialog aborts it, from the command's thread a crash to look at
		if (!fiji && interactive() && !IJ.isMacro()) IJ.error("KeypointJ", message);
		IJ.showStatus("");
		IJ.showProgress(1.0);
		command.cancel(fiji && IJ.isMacro() ? null : message);
	}

	/**
	 * Shows a table a command made. Headless ImageJ has no table windows and a macro reaches only the
	 * Results table there, so headless the table becomes the Results table (the Log says so).
	 */
	static void show(final ResultsTable table, final String title) {
		if (!GraphicsEnvironment.isHeadless()) {
			table.show(title);
			return;
		}
		Analyzer.setResultsTable(table);
		info("headless, so the " + title + " table is now the Results table (no table windows).");
	}

	/** Progress in the status bar; cancelled by the command or by Esc. */
	static Progress progress(final ContextCommand command) {
		return progress(command, () -> false);
	}

	/** Progress in the status bar; cancelled by the command, by Esc, or when {@code stopped} says so (a Stop button). */
	static Progress progress(final ContextCommand command, final BooleanSupplier stopped) {
		IJ.resetEscape();
		return new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {
				IJ.showStatus(status + " (" + done + "/" + total + ")");
				IJ.showProgress(done, total);
			}

			@Override
			public boolean isCanceled() {
				return command.isCanceled() || IJ.escapePressed() || stopped.getAsBoolean();
			}
		};
	}
}
