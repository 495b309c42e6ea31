package io.github.keypointj.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

/**
 * PyTorch's default initialisation of convolutions and fully connected layers, which the report's
 * recipes were tuned with: weights and biases uniform in +-1/sqrt(fan_in) (kaiming_uniform with
 * a = sqrt(5)). DJL's own default (Xavier) starts from larger weights.
 */
public final class TorchInitialization {

	private TorchInitialization() {}

	/** Re-initialises every convolution and linear layer of an initialised block, in place. */
	public static void apply(final Block block, final NDManager manager) {
		if (block instanceof Convolution || block instanceof Linear) {
			final NDArray weight = block.getParameters().get("weight").getArray();
			final long fanIn = weight.getShape().size() / weight.getShape().get(0);
			final float bound = (float) (1 / Math.sqrt(fanIn));
			for (final Pair<String, Parameter> parameter : block.getParameters()) {
				final NDArray array = parameter.getValue().getArray();
				array.set(manager.randomUniform(-bound, bound, array.getShape(), array.getDataType()).toFloatArray());
			}
		}
		for (final Pair<String, Block> child : block.getChildren()) apply(child.getValue(), manager);
	}
}
