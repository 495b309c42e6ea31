package io.github.keypointj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.MontageMaker;
import io.github.keypointj.AtomicFiles;
import io.github.keypointj.ImageJLegacy;
import io.github.keypointj.io.ImageFiles;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Static functions for ImageJ macros, called with {@code call("io.github.keypointj.commands.MacroFunctions.open", path)}:
 * what ImageJ's own commands cannot do in a headless batch. {@code open()} aborts a batch on an
 * unreadable file (and opens text files in a window); Make Montage always asks with a dialog; a failed
 * KeypointJ command does not abort the macro (a batch goes on with the next image), so the macro asks.
 */
public final class MacroFunctions {

	private MacroFunctions() {}

	/**
	 * Opens an image and makes it the active one.
	 *
	 * @return an empty string when it opened, else why not
	 */
	public static String open(final String path) {
		final ImagePlus image = ImageFiles.open(Paths.get(path));
		if (image == null) return "not an image ImageJ can read";
		image.show();
		return "";
	}

	/**
	 * Tiles the planes of the active stack, each with its overlay burnt in and scaled by {@code scale},
	 * into one RGB image that becomes the active one (the stack stays open).
	 *
	 * @return an empty string, or why there is nothing to tile
	 */
	public static String montage(final String columns, final String scale) {
		final ImagePlus stack = WindowManager.getCurrentImage();
		if (stack == null) return "no image open";
		final int perRow;
		final double factor;
		try {
			perRow = Math.max(1, Integer.parseInt(columns.trim()));
			factor = Double.parseDouble(scale.trim());
		}
		catch (final NumberFormatException e) {
			return "columns and scale must be numbers, not '" + columns + "' and '" + scale + "'";
		}
		final int planes = stack.getStackSize();
		final ImagePlus flat = stack.duplicate(); // flattenStack() works in place: the user's stack stays as it is
		if (flat.getOverlay() != null) flat.flattenStack();
		final ImagePlus tiled = new MontageMaker().makeMontage2(flat, Math.min(perRow, planes), (planes + perRow - 1) /
			perRow, factor, 1, planes, 1, 2, false);
		tiled.setTitle(stack.getTitle() + " montage");
		tiled.show();
		return "";
	}

	/**
	 * Writes {@code text} to the file {@code path} whole or not at all (ImageJ's {@code File.saveString}
	 * writes in place: on a full disk it leaves half a file, cut mid-row). A failure counts as a failed
	 * command for {@link #exitOnFailure}.
	 *
	 * @return an empty string when it was written, else why not, naming the file (the file is as it was)
	 */
	public static String saveText(final String path, final String text) {
		final Path file = Paths.get(path);
		try {
			AtomicFiles.write(file, ".txt", temporary -> Files.writeString(temporary, text, StandardCharsets.UTF_8));
			return "";
		}
		catch (final IOException | RuntimeException e) {
			final String why = e instanceof NoSuchFileException ? "its folder does not exist" : Files.isDirectory(file)
				? "it is a folder" : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
			final String problem = "could not write " + file.toAbsolutePath() + " (" + why + "); it is as it was before.";
			Failures.record(problem);
			return problem;
		}
	}

	/**
	 * Reports a failure a script found itself (a folder that is not there), as a failed command would: in
	 * the Log, and counted for {@link #exitOnFailure}.
	 *
	 * @return an empty string
	 */
	public static String fail(final String message) {
		IJ.log("KeypointJ error: " + message);
		Failures.record(message);
		return "";
	}

	/**
	 * Why the last KeypointJ command failed, as the Log said it; empty when it did not:
	 * {@code if (call("io.github.keypointj.commands.MacroFunctions.lastError") != "") ...}
	 */
	public static String lastError() {
		return Failures.last();
	}

	/**
	 * Ends a headless Fiji batch with exit code 1 when a KeypointJ command failed in it (Fiji exits 0 after
	 * every macro), else does nothing. With a display it never quits Fiji, and KeypointJ's own launcher
	 * sets its exit code itself: there it only returns the count.
	 *
	 * @return how many KeypointJ commands failed
	 */
	public static String exitOnFailure() {
		final int failed = Failures.count();
		if (failed > 0 && GraphicsEnvironment.isHeadless() && ImageJLegacy.present()) {
			IJ.log("KeypointJ: " + failed + " command(s) failed; exit code 1.");
			System.exit(1);
		}
		return String.valueOf(failed);
	}
}
