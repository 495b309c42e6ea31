package io.github.keypointj.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proof that the benchmark's PyTorch HeatmapNet and HeatmapNet-fine ({@code scripts/heatmap_net_torch.py}) are
 * KeypointJ's:
 * KeypointJ's network with random weights and random BatchNorm statistics runs a random input, writes all
 * of it to a file, and the PyTorch definition loads the weights in its own layer order, runs the same input
 * and says how far its outputs are. Different layers, orders or shapes fail to load or differ by far more
 * than rounding.
 */
final class TorchHeatmapCheck {

	/** What the PyTorch side found: its trainable parameters, and the largest differences of the outputs. */
	record Result(long torchParameters, long keypointjParameters, double coordinateDifference,
		double logProbabilityDifference)
	{

		/** Equal counts, and outputs equal to float rounding (coordinates are fractions of the input). */
		boolean same() {
			return torchParameters == keypointjParameters && coordinateDifference < 1e-4 && logProbabilityDifference < 1e-2;
		}

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT, "%s: %,d trainable parameters in KeypointJ, %,d in PyTorch; " +
				"outputs of one random input differ by at most %.2g (coordinates, fractions of the input) and %.2g " +
				"(log-probabilities)", same() ? "the same network" : "NOT THE SAME NETWORK", keypointjParameters,
				torchParameters, coordinateDifference, logProbabilityDifference);
		}
	}

	private static final Pattern RESULT = Pattern.compile(
		"RESULT torch check params=(\\d+) .*max_coordinate_difference=(\\S+) max_log_probability_difference=(\\S+)");
	private static final int KEYPOINTS = 68;

	private TorchHeatmapCheck() {}

	/** Runs the check of one heatmap architecture with {@code script}; throws when the script gave no result. */
	static Result run(final Path script, final Path folder, final Architecture architecture)
		throws IOException, InterruptedException
	{
		final Path file = folder.resolve("heatmap-check.bin");
		final long parameters = write(file, architecture);
		final List<String> lines = Benchmark.run(List.of("/usr/bin/python3", script.toString(), "check", file
			.toString(), Benchmark.torchName(architecture)));
		for (final String line : lines) {
			final Matcher m = RESULT.matcher(line);
			if (m.find()) return new Result(Long.parseLong(m.group(1)), parameters, Double.parseDouble(m.group(2)), Double
				.parseDouble(m.group(3)));
		}
		throw new IllegalStateException("The PyTorch " + architecture.label() + " check gave no result:\n" +
			String.join("\n", lines));
	}

	/** Writes keypoints, input, every parameter in block order, and the outputs; the trainable parameter count. */
	private static long write(final Path file, final Architecture architecture) throws IOException {
		final ModelDescription description = ModelDescription.of("check", architecture, 128, 128,
			AnnotatedStack.numberedNames(KEYPOINTS));
		final Random random = new Random(7);
		KeypointEngine.inferenceMode();
		try (KeypointModel model = KeypointModel.create(description, Device.cpu());
			NDManager scope = model.djlModel().getNDManager().newSubManager();
			DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file))))
		{
			long trainable = 0;
			final ParameterList parameters = model.block().getParameters();
			for (final Pair<String, Parameter> named : parameters) {
				final Parameter parameter = named.getValue();
				if (parameter.requiresGradient()) trainable += parameter.getArray().size();
				// BatchNorm's statistics and scales away from 0 and 1, so that a misplaced one shows.
				if (named.getKey().endsWith("runningVar") || named.getKey().endsWith("gamma")) {
					parameter.getArray().set(randomValues(random, parameter.getArray().size(), 0.5f, 1.5f));
				}
				else if (named.getKey().endsWith("runningMean") || named.getKey().endsWith("beta")) {
					parameter.getArray().set(randomValues(random, parameter.getArray().size(), -0.2f, 0.2f));
				}
			}
			final Shape inputShape = model.inputShape(1);
			final float[] input = randomValues(random, inputShape.size(), 0, 1);
			out.writeInt(KEYPOINTS);
			writeShape(out, inputShape);
			writeValues(out, input);
			out.writeInt(parameters.size());
			for (final Pair<String, Parameter> named : parameters) {
				final NDArray array = named.getValue().getArray();
				writeShape(out, array.getShape());
				writeValues(out, array.toFloatArray());
			}
			final NDList outputs = model.block().forward(new ParameterStore(scope, false), new NDList(scope.create(input,
				inputShape)), false);
			for (final NDArray output : outputs) {
				writeShape(out, output.getShape());
				writeValues(out, output.toFloatArray());
			}
			return trainable;
		}
	}

	private static float[] randomValues(final Random random, final long count, final float from, final float to) {
		final float[] values = new float[Math.toIntExact(count)];
		for (int i = 0; i < values.length; i++) values[i] = from + (to - from) * random.nextFloat();
		return values;
	}

	private static void writeShape(final DataOutputStream out, final Shape shape) throws IOException {
		out.writeInt(shape.dimension());
		for (final long dimension : shape.getShape()) out.writeInt(Math.toIntExact(dimension));
	}

	private static void writeValues(final DataOutputStream out, final float[] values) throws IOException {
		for (final float value : values) out.writeFloat(value);
	}
}
