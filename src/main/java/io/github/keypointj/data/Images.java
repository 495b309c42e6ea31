package io.github.keypointj.data;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;

import java.util.Collection;
import java.util.TreeSet;

/** Checks on the image a command works on. */
public final class Images {

	private Images() {}

	/**
	 * A plane's label as CSV files and tables give it: the first line of its slice label (ImageJ keeps
	 * file metadata after it), or "" when it has none.
	 */
	public static String planeLabel(final ImagePlus image, final int slice) {
		final String label = image.getStack().getSliceLabel(slice);
		if (label == null) return "";
		final int newline = label.indexOf('\n');
		return (newline >= 0 ? label.substring(0, newline) : label).trim();
	}

	/** Imagej-legacy fills an image parameter with a blank, untitled image when none is open. */
	public static void requireOpen(final ImagePlus image) {
		if (image == null || image.getProcessor() == null || image.getWidth() == 0 || image.getHeight() == 0) {
			throw new KeypointException("There is no image open: open the image to work on first.");
		}
	}

	/**
	 * Refuses planes with NaN or infinite pixels (only 32-bit planes hold them): crops and augmentation
	 * would turn them into finite garbage that a network learns from, or is measured on, without a word.
	 *
	 * @param stackIndices the planes used, 1-based
	 * @param use what the planes are for, for the message ("train", "evaluate")
	 * @throws KeypointException naming the first such slice and pixel
	 */
	public static void requireFinitePixels(final ImagePlus image, final Collection<Integer> stackIndices,
		final String use)
	{
		if (image.getBitDepth() != 32) return;
		for (final int slice : new TreeSet<>(stackIndices)) {
			final float[] pixels = (float[]) image.getStack().getPixels(slice);
			for (int i = 0; i < pixels.length; i++) {
				if (!Float.isFinite(pixels[i])) {
					throw new KeypointException("slice " + slice + " of '" + image.getTitle() + "' has " + (Float.isNaN(pixels[i])
						? "a NaN" : "an infinite") + " pixel at (" + i % image.getWidth() + ", " + i / image.getWidth() +
						"): replace such pixels (Process > Math > Remove NaNs...) or leave the slice out, then " + use +
						" again.");
				}
			}
		}
	}
}
