package io.github.keypointj.eval;

import io.github.keypointj.data.PlaneKeypoints;

import java.util.List;

/**
 * How far predicted keypoints are from the truth, in image pixels, over the keypoints labelled in the truth
 * (a missing one, NaN, is no error).
 *
 * @param meanError mean Euclidean distance per point
 * @param mae mean absolute error of the x and y coordinates
 * @param nme for 68-point faces: the mean error in % of the distance between the outer eye corners
 *        (points 36 and 45); NaN for other schemes, and for a face missing either corner
 */
public record PointErrors(double meanError, double mae, double nme) {

	/** Outer eye corners of the iBUG 68-point scheme (0-based). */
	static final int LEFT_EYE_CORNER = 36, RIGHT_EYE_CORNER = 45;

	/** The distance between the outer eye corners of a 68-point face, NME's unit; NaN for other schemes. */
	public static double interOcular(final PlaneKeypoints truth) {
		if (truth.count() != FacePart.POINTS) return Double.NaN;
		return Math.hypot(truth.x()[LEFT_EYE_CORNER] - truth.x()[RIGHT_EYE_CORNER],
			truth.y()[LEFT_EYE_CORNER] - truth.y()[RIGHT_EYE_CORNER]);
	}

	public static PointErrors of(final PlaneKeypoints predicted, final PlaneKeypoints truth) {
		double distance = 0;
		double absolute = 0;
		int n = 0;
		for (int k = 0; k < truth.count(); k++) {
			if (!truth.isLabelled(k)) continue;
			final double dx = predicted.x()[k] - truth.x()[k];
			final double dy = predicted.y()[k] - truth.y()[k];
			distance += Math.hypot(dx, dy);
			absolute += Math.abs(dx) + Math.abs(dy);
			n++;
		}
		final double meanError = distance / n;
		return new PointErrors(meanError, absolute / (2.0 * n), 100 * meanError / interOcular(truth));
	}

	/** How many keypoints of {@code truth} are missing (not labelled), over all its objects. */
	public static int missing(final List<PlaneKeypoints> truth) {
		return truth.stream().mapToInt(object -> object.count() - object.labelledCount()).sum();
	}

	/** A note that {@code truth} misses points, for a sentence's end, or "" when it misses none. */
	public static String missingNote(final List<PlaneKeypoints> truth) {
		final int missing = missing(truth);
		return missing == 0 ? "" : "; " + missing + " annotated point(s) missing (not labelled), left out of the errors";
	}
}
