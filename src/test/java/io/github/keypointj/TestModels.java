package io.github.keypointj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Models for tests: small, and where needed with an output known in advance. */
public final class TestModels {

	private TestModels() {}

	/** A NoseNet-shaped description with a small input. */
	public static ModelDescription small(final int keypoints, final int channels, final CropRecipe crop) {
		return new ModelDescription("test model", Architecture.NOSE_NET, 48, 40, channels,
			channels == 3 ? Normalization.imageNet() : Normalization.centered(channels),
			AnnotatedStack.numberedNames(keypoints), crop);
	}

	/**
	 * A model that predicts {@code outputs} (x0, y0, x1, y1, ... as fractions of the input) whatever
	 * the image: its last layer's weights are zero and its bias is the answer. Detection with it has a
	 * known result, so every step that maps points back to the image can be checked exactly.
	 */
	public static Path constant(final Path file, final ModelDescription description, final float... outputs) {
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final Block last = model.block().getChildren().values().get(model.block().getChildren().size() - 1);
			for (final Parameter parameter : last.getParameters().values()) {
				final float[] values = new float[(int) parameter.getArray().size()];
				if (parameter.getType() == Parameter.Type.BIAS) System.arraycopy(outputs, 0, values, 0, outputs.length);
				else Arrays.fill(values, 0f);
				parameter.getArray().set(values);
			}
			ModelFile.save(model, file);
		}
		return file;
	}

	/**
	 * The block's outputs for one input, each flattened: with gradients on or off (which decides the
	 * inference paths: channels last, folded BatchNorm), and in training mode or not (BatchNorm on the batch).
	 */
	public static List<float[]> outputs(final NDManager manager, final Block block, final Shape shape, final float[] input,
		final boolean gradients, final boolean training)
	{
		final boolean before = JniUtils.isGradMode();
		JniUtils.setGradMode(gradients);
		try (NDManager scope = manager.newSubManager()) {
			final NDList out = block.forward(new ParameterStore(scope, false), new NDList(scope.create(input, shape)),
				training);
			final List<float[]> values = new ArrayList<>();
			for (final NDArray array : out) values.add(array.toFloatArray());
			return values;
		}
		finally {
			JniUtils.setGradMode(before);
		}
	}

	/** Asserts that two ways of running {@code network} give the same outputs, to 1e-4 of the largest value. */
	public static void assertSameOutputs(final String network, final String how, final List<float[]> expected,
		final List<float[]> actual)
	{
		assertEquals(expected.size(), actual.size(), network);
		for (int o = 0; o < expected.size(); o++) {
			double largest = 0, difference = 0;
			for (int i = 0; i < expected.get(o).length; i++) {
				largest = Math.max(largest, Math.abs(expected.get(o)[i]));
				difference = Math.max(difference, Math.abs(expected.get(o)[i] - actual.get(o)[i]));
			}
			assertTrue(largest > 0, network + " output " + o + " is all zero: nothing compared");
			assertTrue(difference <= 1e-4 * largest, network + " output " + o + ": " + how + " differs by " + difference +
				" (largest value " + largest + ")");
		}
	}

	/** {@code net} initialised for inputs of {@code shape}, its BatchNorm statistics random ({@link #randomiseStatistics}). */
	public static Block initialisedWithRandomStatistics(final Block net, final NDManager manager, final Shape shape,
		final Random random)
	{
		net.initialize(manager, DataType.FLOAT32, shape);
		randomiseStatistics(net, random);
		return net;
	}

	/** Sets every BatchNorm's statistics and affine parameters to random values far from the fresh ones (mean 0, variance 1). */
	public static void randomiseStatistics(final Block net, final Random random) {
		for (final Pair<String, Parameter> parameter : net.getParameters()) {
			final String name = parameter.getKey();
			final NDArray array = parameter.getValue().getArray();
			final float[] values = new float[Math.toIntExact(array.size())];
			if (name.endsWith("runningVar")) for (int i = 0; i < values.length; i++) values[i] = 0.2f + 2 * random.nextFloat();
			else if (name.endsWith("runningMean") || name.endsWith("beta")) {
				for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian() * 0.5f;
			}
			else if (name.endsWith("gamma")) for (int i = 0; i < values.length; i++) values[i] = 0.5f + random.nextFloat();
			else continue;
			array.set(values);
		}
	}

	/** Uniform random values in [0, 1) for an input of {@code shape}. */
	public static float[] randomInput(final Shape shape, final Random random) {
		final float[] input = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
		return input;
	}
}
