package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.keypointj.TestModels;
import io.github.keypointj.engine.KeypointEngine;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FoldedBatchNormTest {

	/**
	 * Every network with BatchNorm gives the same outputs with its BatchNorms folded into the convolutions
	 * as with them run on their own, for running statistics that are far from the fresh ones (mean 0,
	 * variance 1, which fold into almost nothing).
	 */
	@Test
	void foldedNetworksGiveWhatTheirBatchNormsGive() {
		KeypointEngine.inferenceMode();
		final Random random = new Random(5);
		for (final Architecture architecture : new Architecture[] { Architecture.RESNET18, Architecture.HEATMAP_NET }) {
			assertFoldingChangesNothing(architecture.label(), architecture.build(3), new Shape(2, 3, 64, 72), random);
		}
		assertFoldingChangesNothing("object stage", Networks.objectNet(), new Shape(1, 3, 96, 128), random);
	}

	/**
	 * A training step changes the weights and the running statistics in place (the same arrays): the next
	 * inference folds them again instead of using the fold of before.
	 */
	@Test
	void aTrainingStepMakesTheFoldAgain() {
		KeypointEngine.inferenceMode();
		final Random random = new Random(6);
		final Shape shape = new Shape(2, 3, 64, 64);
		try (NDManager manager = NDManager.newBaseManager()) {
			final Block net = Architecture.RESNET18.build(3);
			TestModels.initialisedWithRandomStatistics(net, manager, shape, random);
			final float[] input = TestModels.randomInput(shape, random);
			forward(manager, net, shape, input, false, true);
			// training mode: BatchNorm moves its running statistics toward this batch's, in place
			forward(manager, net, shape, TestModels.randomInput(shape, random), true, true);
			assertSameOutputs("ResNet18 after a training step", forward(manager, net, shape, input, false, false),
				forward(manager, net, shape, input, false, true));
		}
	}

	private static void assertFoldingChangesNothing(final String network, final Block net, final Shape shape,
		final Random random)
	{
		try (NDManager manager = NDManager.newBaseManager()) {
			TestModels.initialisedWithRandomStatistics(net, manager, shape, random);
			final float[] input = TestModels.randomInput(shape, random);
			assertSameOutputs(network, forward(manager, net, shape, input, false, false), forward(manager, net, shape, input,
				false, true));
			assertTrue(folds(net), network + ": no convolution was folded");
		}
	}

	/** Whether some convolution of the network holds a fold. */
	private static boolean folds(final Block block) {
		if (block instanceof Networks.Conv2d convolution && convolution.isFolded()) return true;
		for (final Block child : block.getChildren().values()) if (folds(child)) return true;
		return false;
	}

	private static List<float[]> forward(final NDManager manager, final Block net, final Shape shape, final float[] input,
		final boolean training, final boolean fold)
	{
		Networks.foldBatchNorm(fold);
		try {
			return TestModels.outputs(manager, net, shape, input, training, training);
		}
		finally {
			Networks.foldBatchNorm(true);
		}
	}

	private static void assertSameOutputs(final String network, final List<float[]> expected, final List<float[]> actual) {
		TestModels.assertSameOutputs(network, "folded", expected, actual);
	}
}
