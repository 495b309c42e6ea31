package io.github.keypointj.data;

import java.util.Locale;

/**
 * The keypoints of one object on one plane, in image pixel coordinates (pixel centres at
 * integers), in the model's point order.
 *
 * @param plane where
 * @param region the object's region: the whole plane, a selection or a box
 * @param x per keypoint
 * @param y per keypoint
 */
public record PlaneKeypoints(PlanePosition plane, CropBox region, double[] x, double[] y) {

	public int count() {
		return x.length;
	}

	/**
	 * How far beyond the image, in image sizes, a point can no longer be a prediction: a model on an image
	 * unlike its training data may point a little outside (the spots model on a photo: twice the height),
	 * not thousands of pixels (NaN pixels gave 30 and 120 times an 80x60 image; a constant plane 1e15).
	 */
	static final double ABSURD_DISTANCE = 10;

	/**
	 * Why these points cannot be a detection on an image of {@code width x height}, or null when they can:
	 * a coordinate that is not a number, or a point beyond the image by more than {@value #ABSURD_DISTANCE}
	 * image sizes.
	 */
	public String implausibility(final int width, final int height) {
		return implausibility(x, y, width, height);
	}

	/** {@link #implausibility(int, int)} for points not yet placed on a plane (an importer's). */
	public static String implausibility(final double[] x, final double[] y, final int width, final int height) {
		for (int k = 0; k < x.length; k++) {
			if (!Double.isFinite(x[k]) || !Double.isFinite(y[k])) return "keypoint " + (k + 1) + " is not a number";
			if (Math.abs(x[k] - width / 2.0) > (ABSURD_DISTANCE + 0.5) * width ||
				Math.abs(y[k] - height / 2.0) > (ABSURD_DISTANCE + 0.5) * height)
			{
				return String.format(Locale.ROOT, "keypoint %d at (%.4g, %.4g) lies far outside the %dx%d image", k + 1,
					x[k], y[k], width, height);
			}
		}
		return null;
	}
}
