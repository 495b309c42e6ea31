package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * The heatmap network's loss: the L1 distance of the expected positions to the targets, in heatmap
 * cells (integral regression: sub-cell precision, robust to the few badly annotated points), or another
 * {@link CoordinateLoss} of it, plus the cross-entropy of each keypoint's probabilities against a Gaussian
 * of {@value #SIGMA_CELLS} cell around its target. The expectation alone is satisfied by a wide, flat distribution; the cross-entropy makes it
 * peak where the point is, which is what the confidence of a detection reads (DSNT, Nibali et al. 2018,
 * regularise the same way).
 * <p>
 * Labels: x, y per keypoint as fractions of the input (N, 2K), NaN for a missing keypoint; predictions: {@code SoftArgmax}'s
 * coordinates (N, 2K) and log-probabilities (N, K, h, w).
 */
public final class HeatmapLoss extends Loss {

	static final double SIGMA_CELLS = 1;

	private final CoordinateLoss distanceLoss;

	/** The loss of the report's "bells and whistles" model: L1 of the positions. */
	public HeatmapLoss() {
		this(CoordinateLoss.L1);
	}

	/** @param distanceLoss what a distance of the positions costs */
	public HeatmapLoss(final CoordinateLoss distanceLoss) {
		super("heatmap");
		this.distanceLoss = distanceLoss;
	}

	@Override
	public NDArray evaluate(final NDList labels, final NDList predictions) {
		final NDArray coordinates = predictions.get(0);
		final NDArray logProbabilities = predictions.get(1);
		final Shape maps = logProbabilities.getShape();
		final long n = maps.get(0), k = maps.get(1), h = maps.get(2), w = maps.get(3);
		final NDArray given = labels.singletonOrThrow().reshape(n, k, 2);
		// A missing keypoint (NaN target) weighs nothing in either part: neither its coordinates nor its map.
		final NDArray labelled = MissingLabels.labelled(given);
		final NDArray targets = MissingLabels.filled(given);
		final NDManager manager = coordinates.getManager();
		final NDArray cells = manager.create(new float[] { w, h }).toDevice(coordinates.getDevice(), false);
		final NDArray distances = MissingLabels.mean(distanceLoss.of(coordinates.reshape(n, k, 2).sub(targets).abs()
			.mul(cells)), labelled);
		final NDArray gaussianX = gaussian(targets.get(":, :, 0:1"), w); // (N, K, w)
		final NDArray gaussianY = gaussian(targets.get(":, :, 1:2"), h); // (N, K, h)
		// Divided by the integral of the Gaussian, not by its sum over the cells: a point outside the input
		// then weighs less instead of having its whole mass put on the border.
		final NDArray target = gaussianY.expandDims(3).mul(gaussianX.expandDims(2)).div(2 * Math.PI * SIGMA_CELLS *
			SIGMA_CELLS);
		final NDArray crossEntropy = MissingLabels.mean(target.mul(logProbabilities).sum(new int[] { 2, 3 }).neg(),
			labelled.get(":, :, 0"));
		return distances.add(crossEntropy);
	}

	/** exp(-d^2 / 2 sigma^2) for the distance d in cells of each cell centre to the target (N, K, 1). */
	private static NDArray gaussian(final NDArray target, final long cells) {
		final NDArray centres = target.getManager().arange(0.5f, cells, 1f).div(cells).toDevice(target.getDevice(), false);
		final NDArray distance = centres.sub(target).mul(cells);
		return distance.square().div(-2 * SIGMA_CELLS * SIGMA_CELLS).exp();
	}
}
