package io.github.keypointj.data;

import java.util.Locale;

/**
 * The keypoints of one object on one plane, in image pixel coordinates (pixel centres at
 * integers), in the model's point order. A keypoint not labelled on this plane (occluded, out of view:
 * DeepLabCut's empty cells) is NaN in x and y; detections have every point.
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

	/** Whether keypoint {@code k} is labelled on this plane (not missing). */
	public boolean isLabelled(final int k) {
		return isLabelled(x[k], y[k]);
	}

	/** Whether a point is labelled: a missing one is NaN. */
	public static boolean isLabelled(final double x, final double y) {
		return !Double.isNaN(x) && !Double.isNaN(y);
	}

	/** How many keypoints are labelled on this plane. */
	public int labelledCount() {
		int labelled = 0;
		for (int k = 0; k < x.length; k++) {
			if (isLabelled(k)) labelled++;
		}
		return labelled;
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

	/** {@link #implausibility(int, int)} for points not yet placed on a plane. */
	public static String implausibility(final double[] x, final double[] y, final int width, final int height) {
		return implausibility(x, y, width, height, false);
	}

	/** {@link #implausibility(int, int)} of the labelled points only: an importer's, where missing points may be NaN. */
	public static String labelledImplausibility(final double[] x, final double[] y, final int width, final int height) {
		return implausibility(x, y, width, height, true);
	}

	private static String implausibility(final double[] x, final double[] y, final int width, final int height,
		final boolean skipMissing)
	{
		for (int k = 0; k < x.length; k++) {
			if (skipMissing && !isLabelled(x[k], y[k])) continue;
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
