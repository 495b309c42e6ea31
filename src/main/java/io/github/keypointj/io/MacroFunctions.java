package io.github.keypointj.io;

import ij.IJ;
import ij.ImagePlus;

/**
 * Static functions for ImageJ macros, called with {@code call("io.github.keypointj.io.MacroFunctions.open", path)}.
 * ImageJ's own {@code open()} aborts a batch on an unreadable file (and opens text files in a window,
 * which fails headless); batch scripts need to skip such a file and go on.
 */
public final class MacroFunctions {

	private MacroFunctions() {}

	/**
	 * Opens an image and makes it the active one.
	 *
	 * @return an empty string when it opened, else why not
	 */
	public static String open(final String path) {
		try {
			final ImagePlus image = IJ.openImage(path);
			// ImageJ reads some text files as (empty) text images
			if (image == null || image.getProcessor() == null || image.getWidth() < 2 || image.getHeight() < 2) {
				return "not an image ImageJ can read";
			}
			image.show();
			return "";
		}
		catch (final RuntimeException e) {
			return "could not be read (" + e.getMessage() + ")";
		}
	}
}
