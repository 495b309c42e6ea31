package io.github.keypointj.data;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;

/**
 * Reads one plane of an image as the channels a model wants, each scaled to [0, 1].
 * <ul>
 * <li>RGB: red, green, blue / 255; for a gray model, the luma 0.299 R + 0.587 G + 0.114 B.</li>
 * <li>8-bit: value / 255; for an RGB model the gray value in all three channels.</li>
 * <li>16- and 32-bit: scaled by the display range (what the user sees); only for gray models, since
 * there is no natural way to make colour from them.</li>
 * </ul>
 */
public final class PlaneReader {

	private PlaneReader() {}

	/** Fails with a clear message, before any work, when an image cannot feed a model of {@code channels}. */
	public static void requireCompatible(final ImagePlus image, final int channels) {
		final int bitDepth = image.getBitDepth();
		if (channels == 3 && (bitDepth == 16 || bitDepth == 32)) {
			throw new KeypointException("The model expects RGB images, but '" + image.getTitle() + "' is " + bitDepth +
				"-bit. Convert it first (Image>Type>RGB Color, or 8-bit).");
		}
		if (channels != 1 && channels != 3) {
			throw new KeypointException("Models with " + channels + " input channels are not supported.");
		}
	}

	/**
	 * @param stackIndex 1-based index into the image's stack
	 * @param channels 1 (gray) or 3 (RGB)
	 * @return {@code channels} planes of width x height values in [0, 1]
	 */
	public static float[][] read(final ImagePlus image, final int stackIndex, final int channels) {
		requireCompatible(image, channels);
		final ImageProcessor processor = image.getStack().getProcessor(stackIndex);
		final int size = processor.getWidth() * processor.getHeight();
		if (processor instanceof ColorProcessor) {
			final ColorProcessor color = (ColorProcessor) processor;
			final byte[] r = new byte[size], g = new byte[size], b = new byte[size];
			color.getRGB(r, g, b);
			if (channels == 3) return new float[][] { scaled(r), scaled(g), scaled(b) };
			final float[] luma = new float[size];
			for (int i = 0; i < size; i++) {
				luma[i] = (0.299f * (r[i] & 0xff) + 0.587f * (g[i] & 0xff) + 0.114f * (b[i] & 0xff)) / 255f;
			}
			return new float[][] { luma };
		}
		final float[] gray = new float[size];
		if (image.getBitDepth() == 8) {
			for (int i = 0; i < size; i++) gray[i] = processor.get(i) / 255f;
		}
		else {
			// The display range of the image (the same for all planes), as the user sees it.
			final double min = image.getDisplayRangeMin();
			final double range = Math.max(image.getDisplayRangeMax() - min, 1e-12);
			for (int i = 0; i < size; i++) gray[i] = (float) ((processor.getf(i) - min) / range);
		}
		return channels == 3 ? new float[][] { gray, gray, gray } : new float[][] { gray };
	}

	private static float[] scaled(final byte[] values) {
		final float[] result = new float[values.length];
		for (int i = 0; i < values.length; i++) result[i] = (values[i] & 0xff) / 255f;
		return result;
	}
}
