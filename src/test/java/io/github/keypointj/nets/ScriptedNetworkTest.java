package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import io.github.keypointj.TestModels;
import io.github.keypointj.engine.KeypointEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ScriptedNetworkTest {

	/**
	 * Every network, run as one script, gives what its layers give, for BatchNorm statistics far from the
	 * fresh ones and filter counts that are not whole channel blocks (NoseNet's 12 and 24, FaceNet's 12),
	 * which the script pads; and every convolution of it is in the script.
	 */
	@Test
	void everyNetworkAsOneScriptGivesWhatItsLayersGive() {
		KeypointEngine.inferenceMode();
		final Random random = new Random(7);
		assertScriptGivesTheLayersOutputs("NoseNet", Architecture.NOSE_NET.build(1), new Shape(2, 1, 60, 80), random);
		assertScriptGivesTheLayersOutputs("FaceNet", Architecture.FACE_NET.build(58), new Shape(1, 1, 120, 160), random);
		for (final Architecture architecture : new Architecture[] { Architecture.RESNET18, Architecture.HEATMAP_NET,
			Architecture.FINE_HEATMAP_NET })
		{
			assertScriptGivesTheLayersOutputs(architecture.label(), architecture.build(5), new Shape(2, 3, 64, 72), random);
		}
		assertScriptGivesTheLayersOutputs("object stage", Networks.objectNet(), new Shape(1, 3, 96, 128), random);
	}

	/** A block the script cannot write anywhere but last leaves the whole network to its layers. */
	@Test
	void aNetworkWithABlockWithoutScriptRunsLayerByLayer() {
		KeypointEngine.inferenceMode();
		final Block unknownInside = new Releasing.SequentialBlock()
			.add(new MaxPool2d(2, 2, 0))
			.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().mul(2))))
			.add(Activation.reluBlock());
		try (NDManager manager = NDManager.newBaseManager()) {
			unknownInside.initialize(manager, DataType.FLOAT32, new Shape(1, 16, 8, 8));
			assertNull(ScriptedNetwork.of(unknownInside, manager));
		}
	}

	/** An unknown last block runs as a block after the script: the soft-argmax of the heatmap networks. */
	@Test
	void anUnknownLastBlockRunsAfterTheScript() {
		KeypointEngine.inferenceMode();
		final Block unknownLast = new Releasing.SequentialBlock()
			.add(new MaxPool2d(2, 2, 0))
			.add(Activation.reluBlock())
			.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().mul(2))));
		try (NDManager manager = NDManager.newBaseManager()) {
			final Shape shape = new Shape(1, 16, 8, 8);
			unknownLast.initialize(manager, DataType.FLOAT32, shape);
			final float[] input = new float[Math.toIntExact(shape.size())];
			for (int i = 0; i < input.length; i++) input[i] = i % 7 - 3;
			try (ScriptedNetwork script = ScriptedNetwork.of(unknownLast, manager)) {
				assertNotNull(script);
				assertEquals(1, count(script.source(), "torch.max_pool2d("), script.source());
				TestModels.assertSameOutputs("pool, ReLU, doubling", "as a script",
					TestModels.outputs(manager, unknownLast, shape, input, false, false), outputs(manager, script, shape, input));
			}
		}
	}

	private static void assertScriptGivesTheLayersOutputs(final String network, final Block net, final Shape shape,
		final Random random)
	{
		try (NDManager manager = NDManager.newBaseManager()) {
			TestModels.initialisedWithRandomStatistics(net, manager, shape, random);
			final float[] input = TestModels.randomInput(shape, random);
			try (ScriptedNetwork script = ScriptedNetwork.of(net, manager)) {
				assertNotNull(script, network + " has no script");
				assertEquals(convolutions(net), count(script.source(), "torch.mkldnn_convolution("), network + ": " +
					script.source());
				TestModels.assertSameOutputs(network, "as one script", TestModels.outputs(manager, net, shape, input, false,
					false), outputs(manager, script, shape, input));
			}
		}
	}

	private static List<float[]> outputs(final NDManager manager, final ScriptedNetwork script, final Shape shape,
		final float[] input)
	{
		try (NDManager scope = manager.newSubManager()) {
			final List<float[]> values = new ArrayList<>();
			for (final NDArray array : script.forward(scope.create(input, shape))) values.add(array.toFloatArray());
			return values;
		}
	}

	private static int convolutions(final Block block) {
		int count = block instanceof Networks.Conv2d ? 1 : 0;
		for (final Block child : block.getChildren().values()) count += convolutions(child);
		return count;
	}

	private static int count(final String text, final String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) count++;
		return count;
	}
}
