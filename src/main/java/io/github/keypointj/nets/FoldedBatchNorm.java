package io.github.keypointj.nets;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A convolution's weights and bias with the BatchNorm after it folded in, for inference: with
 * {@code s = gamma / sqrt(runningVar + eps)} per output channel, {@code BN(conv(x, W) + b) = conv(x, W s) +
 * (b - runningMean) s + beta}. A forward pass then skips the BatchNorm, one pass over each such activation
 * and one operation less (ResNet-18 has 20, HeatmapNet 27).
 *
 * @param weights the scaled weights
 * @param biases the folded biases
 * @param from the arrays they were computed from (weights, bias or null, gamma, beta, running mean and
 *   variance): a parameter loaded anew is another array, and the fold is made again
 */
record FoldedBatchNorm(NDArray weights, NDArray biases, NDArray[] from) implements AutoCloseable {

	/** The epsilon of every BatchNorm of {@link Networks} (DJL's default, given so that folding uses the same). */
	static final float EPSILON = 1e-5f;

	/** A BatchNorm as {@link Networks} builds them. */
	static BatchNorm batchNorm() {
		return (BatchNorm) BatchNorm.builder().optEpsilon(EPSILON).build();
	}

	/** The BatchNorm's gamma, beta, running mean and running variance on {@code device}. */
	static NDArray[] statistics(final BatchNorm batchNorm, final ParameterStore parameterStore, final Device device) {
		final PairList<String, Parameter> parameters = batchNorm.getParameters();
		final String[] names = { "gamma", "beta", "runningMean", "runningVar" };
		final NDArray[] arrays = new NDArray[names.length];
		for (int i = 0; i < names.length; i++) arrays[i] = parameterStore.getValue(parameters.get(names[i]), device, false);
		return arrays;
	}

	/** Folds {@code statistics} ({@link #statistics}) into a convolution's {@code weights} and {@code biases} (or null). */
	static FoldedBatchNorm of(final NDArray weights, final NDArray biases, final NDArray[] statistics) {
		final NDArray gamma = statistics[0], beta = statistics[1], mean = statistics[2], variance = statistics[3];
		try (NDArray deviation = variance.add(EPSILON).sqrt();
			NDArray scale = gamma.div(deviation);
			NDArray perFilter = scale.reshape(-1, 1, 1, 1);
			NDArray centred = biases == null ? mean.neg() : biases.sub(mean);
			NDArray scaled = centred.mul(scale))
		{
			final NDArray[] from = new NDArray[statistics.length + 2];
			from[0] = weights;
			from[1] = biases;
			System.arraycopy(statistics, 0, from, 2, statistics.length);
			return new FoldedBatchNorm(weights.mul(perFilter), scaled.add(beta), from);
		}
	}

	/** Whether this fold was made from these very arrays. */
	boolean isOf(final NDArray weights, final NDArray biases, final NDArray[] statistics) {
		if (from[0] != weights || from[1] != biases) return false;
		for (int i = 0; i < statistics.length; i++) if (from[i + 2] != statistics[i]) return false;
		return true;
	}

	@Override
	public void close() {
		weights.close();
		biases.close();
	}
}
