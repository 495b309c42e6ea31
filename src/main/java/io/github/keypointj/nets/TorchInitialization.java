package io.github.keypointj.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

/**
 * The initialisations the report's recipes were tuned with. PyTorch's default for convolutions and
 * fully connected layers: weights and biases uniform in +-1/sqrt(fan_in) (kaiming_uniform with
 * a = sqrt(5)); DJL's own default (Xavier) starts from larger weights. torchvision's ResNet instead
 * draws its convolutions from a normal of std sqrt(2 / fan_out) (kaiming_normal, fan_out, ReLU): from
 * the generic default a ResNet18 learns markedly more slowly.
 */
public final class TorchInitialization {

	private TorchInitialization() {}

	/** PyTorch's default for every convolution and linear layer of an initialised block, in place. */
	public static void pytorchDefault(final Block block, final NDManager manager) {
		initialize(block, manager, false);
	}

	/** torchvision's ResNet initialisation: kaiming_normal(fan_out) convolutions, default linear layers. */
	public static void torchvisionResNet(final Block block, final NDManager manager) {
		initialize(block, manager, true);
	}

	private static void initialize(final Block block, final NDManager manager, final boolean kaimingConvolutions) {
		if (block instanceof Convolution || block instanceof Linear) {
			final NDArray weight = block.getParameters().get("weight").getArray();
			final long fanOut = weight.getShape().get(0);
			final long fanIn = weight.getShape().size() / fanOut;
			final long receptiveField = weight.getShape().dimension() > 2 ? weight.getShape().slice(2).size() : 1;
			final boolean kaiming = kaimingConvolutions && block instanceof Convolution;
			final float bound = (float) (1 / Math.sqrt(fanIn));
			final float std = (float) Math.sqrt(2.0 / (fanOut * receptiveField));
			for (final Pair<String, Parameter> parameter : block.getParameters()) {
				final NDArray array = parameter.getValue().getArray();
				final NDArray fresh = kaiming && "weight".equals(parameter.getKey())
					? manager.randomNormal(0, std, array.getShape(), array.getDataType())
					: manager.randomUniform(-bound, bound, array.getShape(), array.getDataType());
				array.set(fresh.toFloatArray());
			}
		}
		for (final Pair<String, Block> child : block.getChildren()) initialize(child.getValue(), manager, kaimingConvolutions);
	}
}
