package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.keypointj.engine.KeypointEngine;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Releasing intermediates early changes nothing the network computes, only how long arrays live. */
class ReleasingTest {

	private static final Shape INPUT = new Shape(4, 6);

	@Test
	void sameOutputsAndGradientsAsDjlsSequentialBlockWithFewerLiveArrays() {
		KeypointEngine.get();
		final float[] input = new float[(int) INPUT.size()];
		final Random random = new Random(5);
		for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.ENGINE_NAME)) {
			final SequentialBlock plain = fill(new SequentialBlock());
			final SequentialBlock releasing = fill(new Releasing.SequentialBlock());
			plain.initialize(manager, DataType.FLOAT32, INPUT);
			releasing.initialize(manager, DataType.FLOAT32, INPUT);
			for (int p = 0; p < plain.getParameters().size(); p++) {
				releasing.getParameters().valueAt(p).getArray().set(plain.getParameters().valueAt(p).getArray().toFloatArray());
			}
			final Run expected = run(plain, manager, input);
			final Run actual = run(releasing, manager, input);
			assertArrayEquals(expected.output, actual.output);
			for (int p = 0; p < expected.gradients.length; p++) assertArrayEquals(expected.gradients[p], actual.gradients[p]);
			assertTrue(actual.liveArrays < expected.liveArrays, actual.liveArrays + " live arrays against " +
				expected.liveArrays);
			assertFalse(actual.inputClosed, "the caller's input stays open");
		}
	}

	/** Linear, BatchNorm, ReLU, an identity layer (passes its input on) and another Linear. */
	private static SequentialBlock fill(final SequentialBlock block) {
		return block.add(Linear.builder().setUnits(5).build())
			.add(BatchNorm.builder().optAxis(1).build())
			.add(Activation.reluBlock())
			.add(Blocks.identityBlock())
			.add(Linear.builder().setUnits(3).build());
	}

	private record Run(float[] output, float[][] gradients, int liveArrays, boolean inputClosed) {}

	private static Run run(final SequentialBlock block, final NDManager manager, final float[] input) {
		try (NDManager scope = manager.newSubManager()) {
			final NDArray x = scope.create(input, INPUT);
			final float[] output;
			final int live;
			try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
				final NDList result = block.forward(new ParameterStore(scope, false), new NDList(x), true);
				live = scope.getManagedArrays().size();
				output = result.singletonOrThrow().toFloatArray();
				collector.backward(result.singletonOrThrow().square().sum());
			}
			final float[][] gradients = new float[block.getParameters().size()][];
			for (int p = 0; p < gradients.length; p++) {
				final NDArray weight = block.getParameters().valueAt(p).getArray();
				if (!weight.hasGradient()) {
					gradients[p] = new float[0];
					continue;
				}
				try (NDArray gradient = weight.getGradient()) {
					gradients[p] = gradient.toFloatArray();
					gradient.subi(gradient); // zero for the next run
				}
			}
			return new Run(output, gradients, live, x.isReleased());
		}
	}
}
