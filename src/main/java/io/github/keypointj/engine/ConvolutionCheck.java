package io.github.keypointj.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A numerical check of the engine's convolutions, in two parts.
 * <ul>
 * <li>Each given layer shape, forward and backward (weight, bias and, where training needs it, input
 * gradients), against sums written out in double precision here: every value must be finite, and a
 * few values per channel must match.</li>
 * <li>A training step of each given network, run twice: the gradients must be finite and the same
 * both times. Before each run, freed memory is filled with other garbage (NaN, then a large finite
 * value), so a kernel that reads memory it did not write shows, whatever ran before it.</li>
 * </ul>
 * Before each layer too, freed memory is filled with NaN.
 */
public final class ConvolutionCheck {

	/** Values checked per channel and kind of output, fewer where there are many channels (at least one each). */
	static final int SAMPLES_PER_CHANNEL = 4;
	static final int SAMPLES_PER_OUTPUT = 512;
	/**
	 * Allowed error as a share of the sum of the absolute products: float32 sums of a few thousand
	 * products stay far below it; the faults seen on AMD Zen 5 were 10 % to 50 % of the largest value.
	 */
	static final double RELATIVE_TOLERANCE = 2e-4;

	private ConvolutionCheck() {}

	/**
	 * What the check found.
	 *
	 * @param shapes the distinct layer shapes checked
	 * @param steps the networks' training steps checked
	 * @param failures one line per shape and output, or step, that is wrong; empty when all are right
	 * @param seconds how long the check took
	 */
	public record Result(int shapes, int steps, List<String> failures, double seconds) {

		public boolean passed() {
			return failures.isEmpty();
		}

		/** One line for the Log and the About report. */
		public String summary() {
			final String checked = shapes + " convolution shapes" + (steps > 0 ? " and " + steps + " training steps" : "") +
				String.format(java.util.Locale.ROOT, " (%.2f s)", seconds);
			if (passed()) return "correct on " + checked;
			return failures.size() + " wrong result(s) in " + checked + "; first: " + failures.get(0);
		}
	}

	/**
	 * A network's training step for the check.
	 *
	 * @param name the network, for reports
	 * @param input the batch's shape (N, C, H, W)
	 * @param build makes the network with its starting weights, initialised on the given manager
	 */
	public record NetworkStep(String name, Shape input, Function<NDManager, Block> build) {}

	/**
	 * Checks {@code convolution} on the CPU with each distinct shape of {@code shapes}, and a training
	 * step of each of {@code steps} (whose networks convolve on the active path).
	 */
	public static Result run(final List<ConvolutionShape> shapes, final List<NetworkStep> steps,
		final Convolutions.Convolution convolution)
	{
		final long start = System.nanoTime();
		final Map<ConvolutionShape, ConvolutionShape> distinct = new LinkedHashMap<>();
		for (final ConvolutionShape shape : shapes) distinct.putIfAbsent(shape.unnamed(), shape);
		final List<String> failures = new ArrayList<>();
		for (final ConvolutionShape shape : distinct.values()) failures.addAll(check(shape, convolution));
		for (final NetworkStep step : steps) failures.addAll(check(step));
		return new Result(distinct.size(), steps.size(), List.copyOf(failures), (System.nanoTime() - start) / 1e9);
	}

	/** The garbage that freed memory holds in the second run of a network step: finite, far from any gradient. */
	private static final float FINITE_GARBAGE = 3e30f;

	private static List<String> check(final NetworkStep step) {
		final float[] input = uniform(new SplittableRandom(step.input().hashCode()), Math.toIntExact(step.input().size()), 1);
		final float[] first;
		final float[] second;
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final Block network = step.build().apply(manager);
			first = gradients(network, manager, step.input(), input, Float.NaN);
			second = gradients(network, manager, step.input(), input, FINITE_GARBAGE);
		}
		int nonFinite = 0;
		double largest = 0;
		for (int i = 0; i < first.length; i++) {
			if (!Float.isFinite(first[i]) || !Float.isFinite(second[i])) nonFinite++;
			else largest = Math.max(largest, Math.abs(first[i]));
		}
		int different = 0;
		for (int i = 0; i < first.length; i++) {
			if (Math.abs(first[i] - second[i]) > RELATIVE_TOLERANCE * largest) different++;
		}
		if (nonFinite == 0 && different == 0) return List.of();
		return List.of(step.name() + " training step " + step.input() + ": " + (nonFinite > 0 ? nonFinite + " of " +
			first.length + " gradient values not finite" : different + " of " + first.length +
			" gradient values changed with the contents of freed memory") + " (a kernel reads memory it did not write)");
	}

	/** All gradients of one forward and backward pass, freed memory filled with {@code garbage} first. */
	private static float[] gradients(final Block network, final NDManager manager, final Shape shape, final float[] input,
		final float garbage)
	{
		try (NDManager scope = manager.newSubManager()) {
			// the first layer's output: a dozen channels of the input's size
			fillFreedMemory(scope, garbage, shape.size() * 16);
			final NDArray x = scope.create(input, shape);
			backward(() -> network.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow().sum());
			final List<float[]> parts = new ArrayList<>();
			int total = 0;
			for (final Pair<String, Parameter> parameter : network.getParameters()) {
				if (!parameter.getValue().requiresGradient()) continue;
				final NDArray weight = parameter.getValue().getArray();
				final float[] values = weight.getGradient().toFloatArray();
				JniUtils.zeroGrad((PtNDArray) weight);
				parts.add(values);
				total += values.length;
			}
			final float[] all = new float[total];
			int at = 0;
			for (final float[] part : parts) {
				System.arraycopy(part, 0, all, at, part.length);
				at += part.length;
			}
			return all;
		}
	}

	/**
	 * Computes {@code loss} with gradients recorded on this thread and runs the backward pass. Not through
	 * DJL's gradient collector, of which only one may be open in a process: a training may be collecting
	 * while a model at a new input size has its shapes checked.
	 */
	private static void backward(final Supplier<NDArray> loss) {
		final boolean before = JniUtils.isGradMode();
		JniUtils.setGradMode(true);
		try {
			final NDArray value = loss.get();
			try (NDArray ones = value.onesLike()) {
				JniUtils.backward((PtNDArray) value, (PtNDArray) ones, false, false);
			}
		}
		finally {
			JniUtils.setGradMode(before);
		}
	}

	/**
	 * Allocates arrays of growing sizes up to {@code largest} elements filled with {@code garbage} and frees
	 * them again: the allocator hands that memory to what runs next.
	 */
	private static void fillFreedMemory(final NDManager manager, final float garbage, final long largest) {
		try (NDManager filler = manager.newSubManager()) {
			for (long size = 256; size < 2 * largest; size *= 4) {
				for (int copy = 0; copy < 2; copy++) filler.full(new Shape(size), garbage);
			}
		}
	}

	private static List<String> check(final ConvolutionShape shape, final Convolutions.Convolution convolution) {
		final Layer layer = new Layer(shape);
		final Map<InferenceLayout, float[]> inference = new LinkedHashMap<>();
		final float[] output;
		final float[] weightGradient;
		final float[] biasGradient;
		final float[] inputGradient;
		final Shape stride = new Shape(shape.stride(), shape.stride());
		final Shape padding = new Shape(shape.padding(), shape.padding());
		final long largest = Math.max(layer.input.length, Math.max(layer.weight.length, layer.outputGradient.length));
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final NDArray x = manager.create(layer.input, new Shape(1, shape.inChannels(), shape.height(), shape.width()));
			final NDArray w = manager.create(layer.weight, new Shape(shape.filters(), shape.inChannels(), shape.kernel(),
				shape.kernel()));
			final NDArray b = manager.create(layer.bias);
			// detection: weights that would take gradients, but gradients off (a path may convolve otherwise then)
			w.setRequiresGradient(true);
			b.setRequiresGradient(true);
			fillFreedMemory(manager, Float.NaN, largest);
			final boolean gradients = JniUtils.isGradMode();
			JniUtils.setGradMode(false);
			try {
				for (final InferenceLayout layout : Convolutions.checkedLayouts(shape.inChannels(), shape.filters())) {
					inference.put(layout, Convolutions.checkingIn(layout, () -> convolution.forward(x, w, b, stride, padding)
						.toFloatArray()));
					fillFreedMemory(manager, Float.NaN, largest);
				}
			}
			finally {
				JniUtils.setGradMode(gradients);
			}
			// training
			x.setRequiresGradient(shape.needsInputGradient());
			fillFreedMemory(manager, Float.NaN, largest);
			final NDArray[] y = new NDArray[1];
			backward(() -> {
				y[0] = convolution.forward(x, w, b, stride, padding);
				return y[0].mul(manager.create(layer.outputGradient, y[0].getShape())).sum();
			});
			output = y[0].toFloatArray();
			weightGradient = w.getGradient().toFloatArray();
			biasGradient = b.getGradient().toFloatArray();
			inputGradient = shape.needsInputGradient() ? x.getGradient().toFloatArray() : null;
		}
		final List<String> failures = new ArrayList<>();
		inference.forEach((layout, values) -> compare(shape, "inference" + (layout == InferenceLayout.NCHW ? "" : " (" +
			layout.description() + ")"), values, layer::output, shape.filters(), layer.outputsPerChannel(), layer, failures));
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

	/** Uniform in [-scale, scale): as good as normal values for the check, and ten times faster to draw. */
	private static float[] uniform(final SplittableRandom random, final int count, final double scale) {
		final float[] values = new float[count];
		for (int i = 0; i < count; i++) values[i] = (float) (scale * (2 * random.nextDouble() - 1));
		return values;
	}

	/** A sum written out: its value and the sum of its terms' absolute values (for the tolerance). */
	private record Sum(double value, double absolute) {}

	@FunctionalInterface
	private interface Reference {
		Sum at(int index);
	}

	/** Checks all of {@code values} for being finite and a few per channel against the reference. */
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
			final int samples = Math.min(perChannel, Math.max(1, Math.min(SAMPLES_PER_CHANNEL, SAMPLES_PER_OUTPUT / channels)));
			for (int sample = 0; sample < samples; sample++) {
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
			input = uniform(random, shape.inChannels() * shape.height() * shape.width(), 1);
			final int fanIn = shape.inChannels() * shape.kernel() * shape.kernel();
			weight = uniform(random, shape.filters() * fanIn, 1 / Math.sqrt(fanIn));
			bias = uniform(random, shape.filters(), 1);
			outputGradient = uniform(random, shape.filters() * outHeight * outWidth, 1);
		}

		int outputsPerChannel() {
			return outHeight * outWidth;
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
