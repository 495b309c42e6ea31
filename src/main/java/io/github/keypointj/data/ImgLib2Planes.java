package io.github.keypointj.data;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * ImgLib2 images into the planes KeypointJ works on: what ImageJ2 scripts and plugins hold, without
 * the imglib2-ij bridge (not on Maven Central). Dimensions 0 and 1 are x and y; a third dimension is
 * the planes (slices), as ImageJ2's default axis order has it. Values are copied as 32-bit floats: the
 * image's own intensities, which detection normalises as for any 32-bit plane.
 */
public final class ImgLib2Planes {

	private ImgLib2Planes() {}

	/** A 32-bit stack with one plane per position of dimension 2 (or one plane for a 2-D image). */
	public static <T extends RealType<T>> ImagePlus toImagePlus(final RandomAccessibleInterval<T> image,
		final String title)
	{
		final int dimensions = image.numDimensions();
		if (dimensions < 2 || dimensions > 3) {
			throw new KeypointException("'" + title + "' has " + dimensions + " dimensions; KeypointJ takes x, y and " +
				"optionally one more for the planes (" + dimensionsText(image) + ").");
		}
		return stack(image, title, 2, (plane, width, height) -> {
			final float[] pixels = new float[width * height];
			final Cursor<T> cursor = Views.flatIterable(plane).cursor(); // x fastest, then y: ImageJ's order
			for (int i = 0; cursor.hasNext(); i++) pixels[i] = cursor.next().getRealFloat();
			return new FloatProcessor(width, height, pixels);
		});
	}

	/**
	 * An RGB stack for a colour model: dimension 2 holds the red, green and blue channels (size 3), an
	 * optional dimension 3 the planes; values are 8-bit intensities (0-255, clamped and rounded), as in
	 * ImageJ2's RGB datasets.
	 */
	public static <T extends RealType<T>> ImagePlus toRgbImagePlus(final RandomAccessibleInterval<T> image,
		final String title)
	{
		final int dimensions = image.numDimensions();
		if (dimensions < 3 || dimensions > 4 || image.dimension(2) != 3) {
			throw new KeypointException("'" + title + "' is " + dimensionsText(image) + "; the model is for colour " +
				"images: x, y, the 3 channels red, green and blue, and optionally one more dimension for the planes.");
		}
		return stack(image, title, 3, (plane, width, height) -> {
			final int[] pixels = new int[width * height];
			for (int c = 0; c < 3; c++) {
				final Cursor<T> cursor = Views.flatIterable(Views.hyperSlice(plane, 2, plane.min(2) + c)).cursor();
				for (int i = 0; cursor.hasNext(); i++) {
					final int value = (int) Math.max(0, Math.min(255, Math.round(cursor.next().getRealDouble())));
					pixels[i] |= value << (8 * (2 - c));
				}
			}
			return new ColorProcessor(width, height, pixels);
		});
	}

	/** One plane of an image as an ImageJ processor. */
	@FunctionalInterface
	private interface PlaneConverter<T> {
		ImageProcessor convert(RandomAccessibleInterval<T> plane, int width, int height);
	}

	/** A stack with one plane per position of {@code planeDimension}, or one plane where there is no such dimension. */
	private static <T extends RealType<T>> ImagePlus stack(final RandomAccessibleInterval<T> image, final String title,
		final int planeDimension, final PlaneConverter<T> converter)
	{
		final boolean stacked = image.numDimensions() > planeDimension;
		final long width = image.dimension(0), height = image.dimension(1);
		final long planes = stacked ? image.dimension(planeDimension) : 1;
		if (width * height > Integer.MAX_VALUE || planes > Integer.MAX_VALUE) {
			throw new KeypointException("'" + title + "' is too large for ImageJ planes (" + dimensionsText(image) + ").");
		}
		final ImageStack stack = new ImageStack((int) width, (int) height);
		for (long z = 0; z < planes; z++) {
			final RandomAccessibleInterval<T> plane = stacked ? Views.hyperSlice(image, planeDimension,
				image.min(planeDimension) + z) : image;
			stack.addSlice("plane " + (z + 1), converter.convert(plane, (int) width, (int) height));
		}
		return new ImagePlus(title, stack);
	}

	private static String dimensionsText(final RandomAccessibleInterval<?> image) {
		final StringBuilder text = new StringBuilder();
		for (int d = 0; d < image.numDimensions(); d++) text.append(d == 0 ? "" : "x").append(image.dimension(d));
		return text.toString();
	}
}
