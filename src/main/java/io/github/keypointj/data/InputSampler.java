package io.github.keypointj.data;

import io.github.keypointj.model.Normalization;
import net.imglib2.RealRandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.interpolation.randomaccess.NLinearInterpolatorFactory;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;

/**
 * Resamples image planes to a network input's grid: each input pixel is sampled through one affine
 * transform (input pixel coordinates to image pixel coordinates), with ImgLib2's linear interpolation,
 * zero outside the image, and an area average where the transform shrinks the image (so an 8x
 * reduction does not alias). Values stay as they are (intensities in [0, 1]); normalising is a
 * separate step ({@link Normalization#normalize}).
 * <p>
 * Both sides use ImageJ/ImgLib2 pixel coordinates: the centre of pixel i is at i.
 */
public final class InputSampler {

	/** More sub-samples than this per axis buy nothing visible and cost time. */
	private static final int MAX_SUBSAMPLES = 8;

	private InputSampler() {}

	/**
	 * @param channels image planes, each {@code width x height} intensities scaled to [0, 1]
	 * @param inputToImage maps input pixel coordinates to image pixel coordinates
	 * @param target where to write the C x H x W values, at {@code offset}
	 */
	public static void sample(final float[][] channels, final int width, final int height,
		final AffineTransform inputToImage, final int inputWidth, final int inputHeight, final float[] target,
		final int offset)
	{
		final int subsamples = subsamples(inputToImage);
		final double step = 1.0 / subsamples;
		final double start = -0.5 + step / 2;
		final double weight = 1.0 / (subsamples * subsamples);
		final double[] position = new double[2];
		final Point2D.Double source = new Point2D.Double();
		final Point2D.Double destination = new Point2D.Double();
		for (int c = 0; c < channels.length; c++) {
			final ArrayImg<FloatType, FloatArray> plane = ArrayImgs.floats(channels[c], width, height);
			final RealRandomAccess<FloatType> access = Views.interpolate(Views.extendZero(plane),
				new NLinearInterpolatorFactory<FloatType>()).realRandomAccess();
			int index = offset + c * inputWidth * inputHeight;
			for (int y = 0; y < inputHeight; y++) {
				for (int x = 0; x < inputWidth; x++) {
					double sum = 0;
					for (int sy = 0; sy < subsamples; sy++) {
						for (int sx = 0; sx < subsamples; sx++) {
							source.setLocation(x + start + sx * step, y + start + sy * step);
							inputToImage.transform(source, destination);
							position[0] = destination.x;
							position[1] = destination.y;
							access.setPosition(position);
							sum += access.get().getRealDouble();
						}
					}
					target[index++] = (float) (sum * weight);
				}
			}
		}
	}

	/** Sub-samples per axis: about one per source pixel that an input pixel covers. */
	static int subsamples(final AffineTransform inputToImage) {
		final double scaleX = Math.hypot(inputToImage.getScaleX(), inputToImage.getShearY());
		final double scaleY = Math.hypot(inputToImage.getShearX(), inputToImage.getScaleY());
		return Math.max(1, Math.min(MAX_SUBSAMPLES, (int) Math.ceil(Math.max(scaleX, scaleY) - 1e-9)));
	}
}
