package io.github.keypointj.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.KeypointEngine;

import java.util.Arrays;
import java.util.Locale;

/**
 * What padding a training convolution's input channels to a whole oneDNN block buys
 * ({@code Convolutions.padsForWeightGradient}): one 5x5 layer's forward and backward (input, weight and bias
 * gradients) with its channels as they are and padded with zero channels to {@link Convolutions#CHANNEL_BLOCK}
 * in each pass (the copies included, as in training), alternating call by call, median ms. Give the filters
 * as the aligned path convolves them in training (whole blocks). Not a test:
 * {@code java -cp ... io.github.keypointj.bench.ChannelPadding [batch:channels:filters:height:width:calls ...]}.
 */
public final class ChannelPadding {

	/** NoseNet's second layer at batch 1 to 32, and FaceNet's at batch 1 and 2; then 4 and 8 channels. */
	private static final String[] DEFAULT_ROWS = { "1:12:32:28:38:300", "2:12:32:28:38:300", "4:12:32:28:38:200",
		"8:12:32:28:38:150", "32:12:32:28:38:60", "1:12:32:58:78:200", "2:12:32:58:78:150", "32:8:32:28:38:60",
		"32:4:32:28:38:60" };

	private ChannelPadding() {}

	public static void main(final String[] args) {
		KeypointEngine.get();
		System.out.println("Both sides: PyTorch's convolution with oneDNN, as the onednn and aligned paths call it; " +
			"CPU: " + Benchmark.cpuModel());
		for (final String row : args.length > 0 ? args : DEFAULT_ROWS) {
			final int[] p = Arrays.stream(row.split(":")).mapToInt(Integer::parseInt).toArray();
			final double asIs;
			final double padded;
			try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
				final NDArray input = manager.randomUniform(0, 1, new Shape(p[0], p[1], p[3], p[4]));
				final NDArray weight = manager.randomUniform(-0.1f, 0.1f, new Shape(p[2], p[1], 5, 5));
				final NDArray bias = manager.zeros(new Shape(p[2]));
				final double[][] ms = new double[2][p[5]];
				for (int call = -5; call < p[5]; call++) {
					for (int side = 0; side < 2; side++) {
						final long start = System.nanoTime();
						step(manager, input, weight, bias, side == 1);
						if (call >= 0) ms[side][call] = (System.nanoTime() - start) / 1e6;
					}
				}
				asIs = median(ms[0]);
				padded = median(ms[1]);
			}
			System.out.printf(Locale.ROOT, "batch %d, %d channels into %d filters, %dx%d (%d output positions): as they are " +
				"%.3f ms, padded to %d %.3f ms (%.2fx)%n", p[0], p[1], p[2], p[3], p[4], p[0] * (p[3] - 4) * (p[4] - 4), asIs,
				Convolutions.CHANNEL_BLOCK, padded, asIs / padded);
		}
	}

	/**
	 * One forward and backward pass of the layer, its gradients discarded; {@code padded}: with zero channels
	 * appended to the input and the weight in the pass, as the aligned path pads them.
	 */
	private static void step(final NDManager manager, final NDArray input, final NDArray weight, final NDArray bias,
		final boolean padded)
	{
		try (NDManager scope = manager.newSubManager()) {
			final NDArray x = input.duplicate();
			final NDArray w = weight.duplicate();
			final NDArray b = bias.duplicate();
			x.setRequiresGradient(true);
			w.setRequiresGradient(true);
			b.setRequiresGradient(true);
			x.attach(scope);
			w.attach(scope);
			b.attach(scope);
			final boolean before = JniUtils.isGradMode();
			JniUtils.setGradMode(true);
			try {
				final NDArray paddedX = padded ? x.concat(zeroChannels(scope, x), 1) : x;
				final NDArray paddedW = padded ? w.concat(zeroChannels(scope, w), 1) : w;
				final NDArray loss = Conv2d.conv2d(paddedX, paddedW, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
					.singletonOrThrow().sum();
				JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
			}
			finally {
				JniUtils.setGradMode(before);
			}
		}
	}

	/** Zero channels that fill the channels of {@code array} (axis 1) to a whole block. */
	private static NDArray zeroChannels(final NDManager manager, final NDArray array) {
		final long[] shape = array.getShape().getShape().clone();
		shape[1] = Convolutions.CHANNEL_BLOCK - shape[1];
		return manager.zeros(new Shape(shape));
	}

	private static double median(final double[] values) {
		final double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}
}
