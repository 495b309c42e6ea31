package io.github.keypointj.eval;

import java.util.Arrays;
import java.util.List;

/**
 * One predictor's {@link PointErrors} over the objects of an evaluation, in image pixels.
 *
 * @param meanError the mean of the objects' mean errors
 * @param medianError their median
 * @param mae the mean of the objects' MAE
 * @param nme the mean of the objects' NME in % (of those that have one); NaN but for 68-point faces
 */
public record ErrorSummary(double meanError, double medianError, double mae, double nme) {

	/** The figures of {@code errors}; NaN for none. */
	public static ErrorSummary of(final List<PointErrors> errors) {
		final double[] sorted = errors.stream().mapToDouble(PointErrors::meanError).sorted().toArray();
		final int n = sorted.length;
		final double median = n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		return new ErrorSummary(Arrays.stream(sorted).average().orElse(Double.NaN), median,
			errors.stream().mapToDouble(PointErrors::mae).average().orElse(Double.NaN),
			// a face missing an eye corner has no NME (no unit to measure in)
			errors.stream().mapToDouble(PointErrors::nme).filter(nme -> !Double.isNaN(nme)).average().orElse(Double.NaN));
	}

	/** Whether there is an NME: the keypoints are the 68 of a face. */
	public boolean hasNme() {
		return !Double.isNaN(nme);
	}
}
