package io.github.keypointj.data;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;

/** Checks on the image a command works on. */
public final class Images {

	private Images() {}

	/** Imagej-legacy fills an image parameter with a blank, untitled image when none is open. */
	public static void requireOpen(final ImagePlus image) {
		if (image == null || image.getProcessor() == null || image.getWidth() == 0 || image.getHeight() == 0) {
			throw new KeypointException("There is no image open: open the image to work on first.");
		}
	}
}
