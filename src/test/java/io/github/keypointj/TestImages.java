package io.github.keypointj;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;

/** Images for tests, made on the spot. */
public final class TestImages {

	private TestImages() {}

	/** A stack of {@code planes} noisy planes of the given type ("8-bit", "16-bit", "32-bit", "RGB"), labelled "plane N". */
	public static ImagePlus stack(final String type, final int width, final int height, final int planes) {
		final ImagePlus image = IJ.createImage("test stack", type + " ramp", width, height, planes);
		final ImageStack stack = image.getStack();
		for (int i = 1; i <= planes; i++) {
			final ImageProcessor processor = stack.getProcessor(i);
			processor.noise(10 * i);
			stack.setSliceLabel("plane " + i, i);
		}
		image.resetDisplayRange();
		return image;
	}
}
