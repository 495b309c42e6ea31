package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.keypointj.TestModels;
import io.github.keypointj.engine.InferencePath;
import io.github.keypointj.engine.KeypointEngine;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NetworkForwardTest {

	private static final Shape RESNET_INPUT = new Shape(1, 3, 64, 64);

	/**
	 * The script holds the weights as they were: after a training pass (here BatchNorm's running statistics
	 * move, in place) the next inference makes it again and gives what the layers give now.
	 */
	@Test
	void aTrainingPassMakesTheScriptAgain() {
		withResNet18(8, (manager, net, random, forward) -> {
			final float[] input = TestModels.randomInput(RESNET_INPUT, random);
			final List<float[]> before = outputs(manager, forward, RESNET_INPUT, input);
			assertTrue(forward.ranAsScript(), "ResNet18 did not run as a script");
			TestModels.outputs(manager, net, RESNET_INPUT, TestModels.randomInput(RESNET_INPUT, random), true, true);
			final List<float[]> after = outputs(manager, forward, RESNET_INPUT, input);
			assertTrue(forward.ranAsScript(), "ResNet18 did not run as a script after the training pass");
			TestModels.assertSameOutputs("ResNet18 after a training pass", "as a script",
				TestModels.outputs(manager, net, RESNET_INPUT, input, false, false), after);
			assertFalse(java.util.Arrays.equals(before.get(0), after.get(0)), "the training pass changed nothing");
		});
	}

	/**
	 * Weights changed in place other than by training (a BatchNorm's running mean set by a script) are seen
	 * after {@link NetworkForward#weightsChanged()}, by the script and by the layers' folds alike.
	 */
	@Test
	void weightsChangedInPlaceAreSeenWhenSaid() {
		withResNet18(9, (manager, net, random, forward) -> {
			final float[] input = TestModels.randomInput(RESNET_INPUT, random);
			final List<float[]> before = outputs(manager, forward, RESNET_INPUT, input);
			TestModels.outputs(manager, net, RESNET_INPUT, input, false, false); // the layers fold their BatchNorms too
			TestModels.randomiseStatistics(net, random);
			forward.weightsChanged();
			final List<float[]> after = outputs(manager, forward, RESNET_INPUT, input);
			assertTrue(forward.ranAsScript(), "ResNet18 did not run as a script");
			final List<float[]> unfolded;
			Networks.foldBatchNorm(false);
			try {
				unfolded = TestModels.outputs(manager, net, RESNET_INPUT, input, false, false);
			}
			finally {
				Networks.foldBatchNorm(true);
			}
			TestModels.assertSameOutputs("ResNet18 with new statistics", "as a script", unfolded, after);
			TestModels.assertSameOutputs("ResNet18 with new statistics", "folded", unfolded,
				TestModels.outputs(manager, net, RESNET_INPUT, input, false, false));
			assertFalse(java.util.Arrays.equals(before.get(0), after.get(0)), "the new statistics changed nothing");
		});
	}

	/** A ResNet-18 with random BatchNorm statistics and its inference pass, for {@code test}. */
	private static void withResNet18(final long seed, final ResNet18Test test) {
		KeypointEngine.inferenceMode();
		final Random random = new Random(seed);
		try (NDManager manager = NDManager.newBaseManager()) {
			final Block net = TestModels.initialisedWithRandomStatistics(Architecture.RESNET18.build(3), manager,
				RESNET_INPUT, random);
			try (NetworkForward forward = new NetworkForward(net, manager, "ResNet18")) {
				test.run(manager, net, random, forward);
			}
		}
	}

	private interface ResNet18Test {
		void run(NDManager manager, Block net, Random random, NetworkForward forward);
	}

	/**
	 * A sample with a non-finite value gets NaN outputs (oneDNN's ReLU and pooling in the script would drop
	 * a NaN), so that Detect can name the plane; the other samples of the batch get what the layers give
	 * them alone, whether the batch runs as a script or layer by layer.
	 */
	@Test
	void aSampleWithANonFiniteValueGetsNaNOutputs() {
		KeypointEngine.inferenceMode();
		final Random random = new Random(10);
		for (final Architecture architecture : new Architecture[] { Architecture.NOSE_NET, Architecture.HEATMAP_NET }) {
			final Shape shape = architecture == Architecture.NOSE_NET ? new Shape(3, 1, 60, 80) : new Shape(3, 3, 64, 64);
			final Block net = architecture.build(2);
			// layer by layer on the path the check finds right on this CPU, as a model's first use does
			architecture.verifyConvolutions(Math.toIntExact(shape.get(1)), Math.toIntExact(shape.get(2)),
				Math.toIntExact(shape.get(3)), 2);
			try (NDManager manager = NDManager.newBaseManager()) {
				net.initialize(manager, DataType.FLOAT32, shape);
				final float[] input = TestModels.randomInput(shape, random);
				final int perSample = Math.toIntExact(shape.size() / 3);
				input[perSample + 17] = Float.NaN;
				input[2 * perSample + 5] = Float.POSITIVE_INFINITY;
				final Shape first = new Shape(1, shape.get(1), shape.get(2), shape.get(3));
				final List<float[]> alone = TestModels.outputs(manager, net, first, java.util.Arrays.copyOf(input, perSample),
					false, false);
				for (final InferencePath path : InferencePath.values()) {
					InferencePath.use(path);
					try (NetworkForward forward = new NetworkForward(net, manager, architecture.label())) {
						// several calls: layer by layer, each layer tries its layouts in its first calls
						for (int call = 0; call < 20; call++) {
							assertFirstAloneOthersNaN(architecture.label() + " " + path.label() + " call " + call, alone,
								outputs(manager, forward, shape, input));
						}
						assertEquals(path == InferencePath.SCRIPT, forward.ranAsScript(), architecture.label() + " " + path);
					}
					finally {
						InferencePath.use(InferencePath.SCRIPT);
					}
				}
			}
		}
	}

	private static void assertFirstAloneOthersNaN(final String what, final List<float[]> alone, final List<float[]> batch) {
		for (int o = 0; o < alone.size(); o++) {
			final int values = alone.get(o).length;
			for (int i = 0; i < values; i++) {
				assertEquals(alone.get(o)[i], batch.get(o)[i], 1e-4 * (1 + Math.abs(alone.get(o)[i])), what + " output " + o +
					" value " + i);
			}
			for (int i = values; i < batch.get(o).length; i++) {
				assertTrue(Float.isNaN(batch.get(o)[i]), what + " output " + o + " value " + i + " of a sample with a " +
					"non-finite value: " + batch.get(o)[i]);
			}
		}
	}

	/** A script that cannot be loaded or run leaves the network to its layers, which give their outputs as ever. */
	@Test
	void aScriptThatFailsLeavesTheLayers() {
		KeypointEngine.inferenceMode();
		final Random random = new Random(11);
		try (NDManager manager = NDManager.newBaseManager()) {
			final Block net = TestModels.initialisedWithRandomStatistics(Architecture.RESNET18.build(3), manager,
				RESNET_INPUT, random);
			final float[] input = TestModels.randomInput(RESNET_INPUT, random);
			try (NetworkForward forward = new NetworkForward(net, manager, "ResNet18", (block, weights) -> {
				throw new ai.djl.engine.EngineException("no such operator aten::mkldnn_convolution");
			}))
			{
				TestModels.assertSameOutputs("ResNet18", "with a failing script", TestModels.outputs(manager, net,
					RESNET_INPUT, input, false, false), outputs(manager, forward, RESNET_INPUT, input));
				assertFalse(forward.ranAsScript());
			}
		}
	}

	/**
	 * A new script is checked on an input of its own, not on the call's: a model's first call, at loading,
	 * is on zeros, where a first layer's weights make no difference. A script whose first layer's weights are
	 * doubled gives the layers' outputs on zeros and wrong ones on anything else: the check must refuse it.
	 */
	@Test
	void aScriptRightOnlyOnZerosIsRefused() {
		KeypointEngine.inferenceMode();
		final Shape shape = new Shape(1, 1, 60, 80);
		Architecture.NOSE_NET.verifyConvolutions(1, 60, 80, 2);
		final Random random = new Random(12);
		try (NDManager manager = NDManager.newBaseManager()) {
			final Block net = Architecture.NOSE_NET.build(2);
			net.initialize(manager, DataType.FLOAT32, shape);
			final Block doubled = Architecture.NOSE_NET.build(2);
			doubled.initialize(manager, DataType.FLOAT32, shape);
			final var from = net.getParameters();
			final var to = doubled.getParameters();
			for (int i = 0; i < from.size(); i++) {
				final ai.djl.ndarray.NDArray values = from.get(i).getValue().getArray();
				// biases too, so that zeros in give more than zeros out
				if (from.get(i).getKey().endsWith("bias")) values.set(TestModels.randomInput(values.getShape(), random));
				final float[] copy = values.toFloatArray();
				if (i == 0) {
					assertEquals(new Shape(12, 1, 5, 5), values.getShape(), "NoseNet's first parameter");
					for (int k = 0; k < copy.length; k++) copy[k] *= 2;
				}
				to.get(i).getValue().getArray().set(copy);
			}
			final float[] zeros = new float[Math.toIntExact(shape.size())];
			final float[] input = TestModels.randomInput(shape, random);
			try (NetworkForward right = new NetworkForward(net, manager, "NoseNet", ScriptedNetwork::of)) {
				outputs(manager, right, shape, zeros);
				assertTrue(right.ranAsScript(), "NoseNet's own script was not taken: nothing is checked here");
			}
			try (NetworkForward forward = new NetworkForward(net, manager, "NoseNet",
				(block, weights) -> ScriptedNetwork.of(doubled, weights)))
			{
				TestModels.assertSameOutputs("NoseNet", "on zeros, offered a wrong script", TestModels.outputs(manager, net,
					shape, zeros, false, false), outputs(manager, forward, shape, zeros));
				assertFalse(forward.ranAsScript(), "a script right only on zeros was taken");
				TestModels.assertSameOutputs("NoseNet", "after a wrong script was offered", TestModels.outputs(manager, net,
					shape, input, false, false), outputs(manager, forward, shape, input));
			}
		}
	}

	/** The check of a new script against the layers names the first value that differs by more than the tolerance. */
	@Test
	void theCheckNamesTheFirstValueThatDiffers() {
		try (NDManager manager = NDManager.newBaseManager()) {
			final NDList layers = new NDList(manager.create(new float[] { 0.5f, -20f, 3f }));
			assertNull(NetworkForward.disagreement(new NDList(manager.create(new float[] { 0.5f, -20.01f, 3f })), layers));
			assertEquals("output 0, value 2: 3.03 instead of 3.0", NetworkForward.disagreement(
				new NDList(manager.create(new float[] { 0.5f, -20f, 3.03f })), layers));
			assertEquals("output 0, value 0: NaN instead of 0.5", NetworkForward.disagreement(
				new NDList(manager.create(new float[] { Float.NaN, -20f, 3f })), layers));
			assertEquals("output 0 shaped (2) instead of (3)", NetworkForward.disagreement(
				new NDList(manager.create(new float[] { 0.5f, -20f })), layers));
		}
	}

	private static List<float[]> outputs(final NDManager manager, final NetworkForward forward, final Shape shape,
		final float[] input)
	{
		try (NDManager scope = manager.newSubManager()) {
			final List<float[]> values = new java.util.ArrayList<>();
			for (final ai.djl.ndarray.NDArray array : forward.forward(scope, input, shape)) {
				values.add(array.toFloatArray());
			}
			return values;
		}
	}
}
