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
 * <li>16- and 32-bit: as Image>Type>8-bit makes them, by the display range (what the user sees), then
 * as 8-bit: the same frames give the same points whichever of the two types they are in.</li>
 * </ul>
 */
public final class PlaneReader {

	private PlaneReader() {}

	/** Fails with a clear message, before any work, when an image cannot feed a model of {@code channels}. */
	public static void requireCompatible(final ImagePlus image, final int channels) {
		if (channels != 1 && channels != 3) {
			throw new KeypointException("Models with " + channels + " input channels are not supported.");
		}
	}

	/**
	 * For the Log: how a 16- or 32-bit image's values become a network's, which depends on its display
	 * range; null for 8-bit and RGB images, read as they are.
	 */
	public static String scalingNote(final ImagePlus image) {
		if (image.getBitDepth() != 16 && image.getBitDepth() != 32) return null;
		return "'" + image.getTitle() + "' is " + image.getBitDepth() + "-bit: its planes are read as Image > Type > " +
			"8-bit would make them, by the display range " + number(image.getDisplayRangeMin()) + "-" +
			number(image.getDisplayRangeMax()) + " (Image > Adjust > Brightness/Contrast). Train and detect with the same " +
			"range, or convert the stack to 8-bit once.";
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
		final ImageProcessor bytes = image.getBitDepth() == 8 ? processor : eightBit(processor, image);
		for (int i = 0; i < size; i++) gray[i] = bytes.get(i) / 255f;
		if (image.getBitDepth() == 32) {
			// 8-bit makes a pixel that is not a number 0; the network gets NaN, so that the plane is named, not guessed
			for (int i = 0; i < size; i++) if (!Float.isFinite(processor.getf(i))) gray[i] = Float.NaN;
		}
		return channels == 3 ? new float[][] { gray, gray, gray } : new float[][] { gray };
	}

	/** A 16- or 32-bit plane as Image>Type>8-bit makes it: by the image's display range, the same for all planes. */
	private static ImageProcessor eightBit(final ImageProcessor plane, final ImagePlus image) {
		final ImageProcessor copy = plane.duplicate();
		copy.setMinAndMax(image.getDisplayRangeMin(), image.getDisplayRangeMax());
		return copy.convertToByteProcessor(true);
	}

	private static String number(final double value) {
		return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
	}

	private static float[] scaled(final byte[] values) {
		final float[] result = new float[values.length];
		for (int i = 0; i < values.length; i++) result[i] = (values[i] & 0xff) / 255f;
		return result;
	}
}
