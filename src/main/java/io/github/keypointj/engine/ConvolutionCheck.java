package io.github.keypointj.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A numerical check of the engine's convolutions: each given layer shape, forward and backward
 * (weight, bias and, where training needs it, input gradients), against sums written out in double
 * precision here. Every value is checked for being finite; a few values per channel are checked
 * against the written-out sums, which is where a faulty kernel shows (a wrong channel block, memory
 * it did not write).
 */
public final class ConvolutionCheck {

	/** Values checked per channel and per kind of output. */
	static final int SAMPLES_PER_CHANNEL = 4;
	/**
	 * Allowed error as a share of the sum of the absolute products: float32 sums of a few thousand
	 * products stay far below it; the faults seen on AMD Zen 5 were 10 % to 50 % of the largest value.
	 */
	static final double RELATIVE_TOLERANCE = 2e-4;

	private ConvolutionCheck() {}

	/**
	 * What the check found.
	 *
	 * @param checked the distinct shapes checked
	 * @param failures one line per shape and output that is wrong, empty when all are right
	 * @param seconds how long the check took
	 */
	public record Result(int checked, List<String> failures, double seconds) {

		public boolean passed() {
			return failures.isEmpty();
		}

		/** One line for the Log and the About report. */
		public String summary() {
			final String time = String.format(java.util.Locale.ROOT, "%.2f s", seconds);
			if (passed()) return "correct on " + checked + " convolution shapes, forward and backward (" + time + ")";
			return failures.size() + " wrong result(s) in " + checked + " convolution shapes (" + time + "); first: " +
				failures.get(0);
		}
	}

	/** Checks {@code convolution} on the CPU with each distinct shape of {@code shapes}. */
	public static Result run(final List<ConvolutionShape> shapes, final Convolutions.Convolution convolution) {
		final long start = System.nanoTime();
		final Map<ConvolutionShape, ConvolutionShape> distinct = new LinkedHashMap<>();
		for (final ConvolutionShape shape : shapes) distinct.putIfAbsent(shape.unnamed(), shape);
		final List<String> failures = new ArrayList<>();
		for (final ConvolutionShape shape : distinct.values()) failures.addAll(check(shape, convolution));
		return new Result(distinct.size(), List.copyOf(failures), (System.nanoTime() - start) / 1e9);
	}

	private static List<String> check(final ConvolutionShape shape, final Convolutions.Convolution convolution) {
		final Layer layer = new Layer(shape);
		final float[] output;
		final float[] weightGradient;
		final float[] biasGradient;
		final float[] inputGradient;
		try (NDManager manager = NDManager.newBaseManager(Device.cpu());
			GradientCollector collector = Engine.getEngine(KeypointEngine.ENGINE_NAME).newGradientCollector())
		{
			final NDArray x = manager.create(layer.input, new Shape(1, shape.inChannels(), shape.height(), shape.width()));
			final NDArray w = manager.create(layer.weight, new Shape(shape.filters(), shape.inChannels(), shape.kernel(),
				shape.kernel()));
			final NDArray b = manager.create(layer.bias);
			x.setRequiresGradient(shape.needsInputGradient());
			w.setRequiresGradient(true);
			b.setRequiresGradient(true);
			final NDArray y = convolution.forward(x, w, b, new Shape(shape.stride(), shape.stride()),
				new Shape(shape.padding(), shape.padding()));
			collector.backward(y.mul(manager.create(layer.outputGradient, y.getShape())).sum());
			output = y.toFloatArray();
			weightGradient = w.getGradient().toFloatArray();
			biasGradient = b.getGradient().toFloatArray();
			inputGradient = shape.needsInputGradient() ? x.getGradient().toFloatArray() : null;
		}
		final List<String> failures = new ArrayList<>();
		compare(shape, "forward", output, layer::output, shape.filters(), layer.outputsPerChannel(), layer, failures);
		compare(shape, "weight gradient", weightGradient, layer::weightGradient, shape.filters(),
			shape.inChannels() * shape.kernel() * shape.kernel(), layer, failures);
		compare(shape, "bias gradient", biasGradient, layer::biasGradient, shape.filters(), 1, layer, failures);
		if (inputGradient != null) {
			compare(shape, "input gradient", inputGradient, layer::inputGradient, shape.inChannels(),
				shape.height() * shape.width(), layer, failures);
		}
		return failures;
	}

	/** A sum written out: its value and the sum of its terms' absolute values (for the tolerance). */
	private record Sum(double value, double absolute) {}

	@FunctionalInterface
	private interface Reference {
		Sum at(int index);
	}

	/** Checks all of {@code values} for being finite and {@value #SAMPLES_PER_CHANNEL} per channel against the reference. */
	private static void compare(final ConvolutionShape shape, final String what, final float[] values,
		final Reference reference, final int channels, final int perChannel, final Layer layer, final List<String> failures)
	{
		int nonFinite = 0;
		for (final float value : values) {
			if (!Float.isFinite(value)) nonFinite++;
		}
		int wrong = 0;
		int checked = 0;
		double worstRatio = 0;
		String worst = "";
		for (int channel = 0; channel < channels; channel++) {
			for (int sample = 0; sample < Math.min(SAMPLES_PER_CHANNEL, perChannel); sample++) {
				final int index = channel * perChannel + layer.random.nextInt(perChannel);
				final Sum expected = reference.at(index);
				final double allowed = RELATIVE_TOLERANCE * expected.absolute() + 1e-6;
				final double error = Math.abs(values[index] - expected.value());
				checked++;
				if (!(error <= allowed)) {
					wrong++;
					if (!(error / allowed <= worstRatio)) {
						worstRatio = error / allowed;
						worst = String.format(java.util.Locale.ROOT, "%s instead of %.4g at channel %d", values[index],
							expected.value(), channel);
					}
				}
			}
		}
		if (nonFinite > 0 || wrong > 0) {
			failures.add(shape + " " + what + ": " + (nonFinite > 0 ? nonFinite + " of " + values.length +
				" values not finite; " : "") + wrong + " of " + checked + " checked values wrong" +
				(wrong > 0 ? " (worst " + worst + ")" : ""));
		}
	}

	/** Random data of one layer and the written-out sums of its convolution. */
	private static final class Layer {

		final ConvolutionShape shape;
		final SplittableRandom random;
		final float[] input;
		final float[] weight;
		final float[] bias;
		final float[] outputGradient;
		final int outHeight;
		final int outWidth;

		Layer(final ConvolutionShape shape) {
			this.shape = shape;
			this.random = new SplittableRandom(shape.unnamed().hashCode());
			outHeight = shape.outHeight();
			outWidth = shape.outWidth();
			input = uniform(shape.inChannels() * shape.height() * shape.width(), 1);
			final int fanIn = shape.inChannels() * shape.kernel() * shape.kernel();
			weight = uniform(shape.filters() * fanIn, 1 / Math.sqrt(fanIn));
			bias = uniform(shape.filters(), 1);
			outputGradient = uniform(shape.filters() * outHeight * outWidth, 1);
		}

		int outputsPerChannel() {
			return outHeight * outWidth;
		}

		/** Uniform in [-scale, scale): as good as normal values for the check, and ten times faster to draw. */
		private float[] uniform(final int count, final double scale) {
			final float[] values = new float[count];
			for (int i = 0; i < count; i++) values[i] = (float) (scale * (2 * random.nextDouble() - 1));
			return values;
		}

		private float inputAt(final int channel, final int row, final int column) {
			if (row < 0 || row >= shape.height() || column < 0 || column >= shape.width()) return 0;
			return input[(channel * shape.height() + row) * shape.width() + column];
		}

		private float weightAt(final int filter, final int channel, final int u, final int v) {
			return weight[((filter * shape.inChannels() + channel) * shape.kernel() + u) * shape.kernel() + v];
		}

		private float outputGradientAt(final int filter, final int i, final int j) {
			return outputGradient[(filter * outHeight + i) * outWidth + j];
		}

		Sum output(final int index) {
			final int filter = index / outputsPerChannel();
			final int i = index % outputsPerChannel() / outWidth;
			final int j = index % outWidth;
			double value = bias[filter];
			double absolute = Math.abs(value);
			for (int c = 0; c < shape.inChannels(); c++) {
				for (int u = 0; u < shape.kernel(); u++) {
					for (int v = 0; v < shape.kernel(); v++) {
						final double term = (double) inputAt(c, i * shape.stride() - shape.padding() + u,
							j * shape.stride() - shape.padding() + v) * weightAt(filter, c, u, v);
						value += term;
						absolute += Math.abs(term);
					}
				}
			}
			return new Sum(value, absolute);
		}

		Sum weightGradient(final int index) {
			final int k2 = shape.kernel() * shape.kernel();
			final int filter = index / (shape.inChannels() * k2);
			final int channel = index / k2 % shape.inChannels();
			final int u = index % k2 / shape.kernel();
			final int v = index % shape.kernel();
			double value = 0;
			double absolute = 0;
			for (int i = 0; i < outHeight; i++) {
				for (int j = 0; j < outWidth; j++) {
					final double term = (double) outputGradientAt(filter, i, j) * inputAt(channel,
						i * shape.stride() - shape.padding() + u, j * shape.stride() - shape.padding() + v);
					value += term;
					absolute += Math.abs(term);
				}
			}
			return new Sum(value, absolute);
		}

		Sum biasGradient(final int filter) {
			double value = 0;
			double absolute = 0;
			for (int i = 0; i < outputsPerChannel(); i++) {
				value += outputGradient[filter * outputsPerChannel() + i];
				absolute += Math.abs(outputGradient[filter * outputsPerChannel() + i]);
			}
			return new Sum(value, absolute);
		}

		Sum inputGradient(final int index) {
			final int plane = shape.height() * shape.width();
			final int channel = index / plane;
			final int row = index % plane / shape.width();
			final int column = index % shape.width();
			double value = 0;
			double absolute = 0;
			for (int filter = 0; filter < shape.filters(); filter++) {
				for (int u = 0; u < shape.kernel(); u++) {
					final int i = row + shape.padding() - u;
					if (i < 0 || i % shape.stride() != 0 || i / shape.stride() >= outHeight) continue;
					for (int v = 0; v < shape.kernel(); v++) {
						final int j = column + shape.padding() - v;
						if (j < 0 || j % shape.stride() != 0 || j / shape.stride() >= outWidth) continue;
						final double term = (double) outputGradientAt(filter, i / shape.stride(), j / shape.stride()) *
							weightAt(filter, channel, u, v);
						value += term;
						absolute += Math.abs(term);
					}
				}
			}
			return new Sum(value, absolute);
		}
	}
}
