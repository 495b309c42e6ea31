package io.github.keypointj.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Heatmaps to coordinates (integral regression, Sun et al. 2018): each keypoint's heatmap (N, K, h, w)
 * becomes a probability over its cells (softmax), and the keypoint is its expected position, as a
 * fraction of the heatmap's extent, which is the input's: cell j covers [j / w, (j + 1) / w), so its
 * centre is at (j + 0.5) / w, the rule every network output follows ({@code t = (x + 0.5) / width}).
 * <p>
 * Outputs: the coordinates (N, 2K: x0, y0, x1, ...) first, as the regression networks give them, then
 * the log-probabilities (N, K, h, w), which the heatmap loss and the detection's confidence read.
 */
public final class SoftArgmax extends AbstractBlock {

	private static final byte VERSION = 1;

	public SoftArgmax() {
		super(VERSION);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore parameterStore, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray logits = inputs.singletonOrThrow();
		final Shape shape = logits.getShape();
		final long n = shape.get(0), k = shape.get(1), h = shape.get(2), w = shape.get(3);
		final NDArray logProbabilities = logits.reshape(n, k, h * w).logSoftmax(2).reshape(n, k, h, w);
		final NDArray probabilities = logProbabilities.exp();
		final NDArray x = expectation(probabilities.sum(new int[] { 2 }), w);
		final NDArray y = expectation(probabilities.sum(new int[] { 3 }), h);
		final NDArray coordinates = NDArrays.stack(new NDList(x, y), 2).reshape(n, 2 * k);
		return new NDList(coordinates, logProbabilities);
	}

	/** The expected cell centre of marginal probabilities (N, K, cells), as a fraction of the extent. */
	private static NDArray expectation(final NDArray marginal, final long cells) {
		final NDManager manager = marginal.getManager();
		final NDArray centres = manager.arange(0.5f, cells, 1f).div(cells).toDevice(marginal.getDevice(), false);
		return marginal.mul(centres).sum(new int[] { 2 });
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		return new Shape[] { new Shape(in.get(0), 2 * in.get(1)), in };
	}
}
