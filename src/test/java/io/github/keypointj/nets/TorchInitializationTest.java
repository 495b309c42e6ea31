package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.keypointj.engine.KeypointEngine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TorchInitializationTest {

	@Test
	void plainNetworksStartUniformWithinOneOverRootFanIn() {
		final List<float[]> weights = initializedWeights(Architecture.NOSE_NET, 1, 60, 80);
		// First conv: fan_in 1x5x5 = 25, bound 0.2; uniform has std bound/sqrt(3).
		assertMaxAndStd(weights.get(0), 0.2, 0.2 / Math.sqrt(3));
		// FC 120 -> 2: fan_in 120.
		assertMaxAndStd(weights.get(weights.size() - 2), 1 / Math.sqrt(120), 1 / Math.sqrt(120) / Math.sqrt(3));
	}

	@Test
	void resNetConvolutionsStartAsTorchvisions() {
		final List<float[]> weights = initializedWeights(Architecture.RESNET18, 3, 64, 64);
		// Stem 7x7x3 -> 64: kaiming_normal(fan_out) has std sqrt(2 / (64 x 49)), unbounded tails.
		final float[] stem = weights.get(0);
		assertEquals(64 * 3 * 49, stem.length);
		final double[] stats = maxAndStd(stem);
		assertEquals(Math.sqrt(2.0 / (64 * 49)), stats[1], 0.002);
		assertTrue(stats[0] > 3 * stats[1], "normal tails, not a uniform's hard bound");
		// The head stays PyTorch's default linear layer: 512 inputs.
		final float[] head = weights.get(weights.size() - 2);
		assertMaxAndStd(head, 1 / Math.sqrt(512), 1 / Math.sqrt(512) / Math.sqrt(3));
	}

	/** Every parameter named weight or bias of conv / linear layers, in network order, after initialisation. */
	private static List<float[]> initializedWeights(final Architecture architecture, final int channels,
		final int height, final int width)
	{
		final List<float[]> weights = new ArrayList<>();
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			manager.getEngine().setRandomSeed(7);
			final Block block = architecture.build(2);
			block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, height, width));
			architecture.initialize(block, manager);
			for (final Pair<String, Parameter> parameter : block.getParameters()) {
				final String name = parameter.getKey();
				if (name.endsWith("_weight") && parameter.getValue().getArray().getShape().dimension() >= 2 ||
					name.endsWith("_bias") && !name.contains("batchNorm") && !name.contains("BatchNorm"))
				{
					final NDArray array = parameter.getValue().getArray();
					weights.add(array.toFloatArray());
				}
			}
		}
		return weights;
	}

	private static void assertMaxAndStd(final float[] values, final double bound, final double std) {
		final double[] stats = maxAndStd(values);
		assertTrue(stats[0] <= bound + 1e-6, "within +-" + bound + ": " + stats[0]);
		assertTrue(stats[0] > 0.8 * bound, "fills the range: " + stats[0]);
		assertEquals(std, stats[1], 0.15 * std);
	}

	private static double[] maxAndStd(final float[] values) {
		double max = 0, sum = 0, squares = 0;
		for (final float v : values) {
			max = Math.max(max, Math.abs(v));
			sum += v;
			squares += v * v;
		}
		final double mean = sum / values.length;
		return new double[] { max, Math.sqrt(squares / values.length - mean * mean) };
	}
}
