package io.github.keypointj.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one place where KeypointJ's networks convolve: on the path that the numerical check found correct
 * on this machine ({@link ConvolutionPath}, {@link KeypointEngine#verifyConvolutions}).
 */
public final class Convolutions {

	/** oneDNN's channel block on AVX-512 machines; a multiple of AVX2's 8, so whole blocks on both. */
	static final int CHANNEL_BLOCK = 16;
	private static final Shape NO_DILATION = new Shape(1, 1);

	private static volatile ConvolutionPath active = ConvolutionPath.ONEDNN;
	/** A path under check on this thread: the check's convolutions take it, other threads keep the active one. */
	private static final ThreadLocal<ConvolutionPath> checking = new ThreadLocal<>();

	private Convolutions() {}

	/** A 2-D convolution (NCHW input, OIHW weight): what each network layer and the check run. */
	@FunctionalInterface
	public interface Convolution {
		NDArray forward(NDArray input, NDArray weight, NDArray bias, Shape stride, Shape padding);
	}

	/** The path in use. */
	public static ConvolutionPath active() {
		return active;
	}

	/** Makes {@code path} the one every convolution takes from now on; the caller switched oneDNN accordingly. */
	static void use(final ConvolutionPath path) {
		active = path;
	}

	/** Runs {@code check} with this thread's convolutions on {@code path}. */
	static <T> T checkingOn(final ConvolutionPath path, final Supplier<T> check) {
		checking.set(path);
		try {
			return check.get();
		}
		finally {
			checking.remove();
		}
	}

	/** Convolves on the active path (or the one under check on this thread); {@code bias} may be null. */
	public static NDArray forward(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		final ConvolutionPath checked = checking.get();
		final ConvolutionPath path = checked != null ? checked : active;
		return switch (path) {
			case ONEDNN -> oneDnn(input, weight, bias, stride, padding);
			case ALIGNED -> aligned(input, weight, bias, stride, padding);
			case NATIVE -> plain(input, weight, bias, stride, padding);
		};
	}

	/** PyTorch's convolution of the input as it is laid out. */
	static NDArray plain(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		return Conv2d.conv2d(input, weight, bias, stride, padding, NO_DILATION, 1).singletonOrThrow();
	}

	/**
	 * oneDNN's convolution. In inference, a layer of at most {@value #CHANNELS_LAST_MAX} input channels
	 * convolves an input laid out channels last (NHWC), which oneDNN reads and writes as it is: its output
	 * is channels last too, and so are the ReLU, pooling, BatchNorm and additions after it and the next
	 * layer's input. In PyTorch's NCHW, each such convolution reorders its input to oneDNN's blocked
	 * layout and its output back, and pads channel counts such as 12 to a block: measured with
	 * ONEDNN_VERBOSE on FaceNet at batch 1, a third of oneDNN's time was those reorders. Layers with more
	 * channels on small planes (ResNet's last stages) are faster in NCHW with AVX2 and get it back
	 * (docs/PERFORMANCE.md has both measured). Training keeps NCHW: its backward kernels are the ones the
	 * start-up check's training steps and docs/ENGINE.md cover; the check's inference part runs this path.
	 */
	static NDArray oneDnn(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		if (JniUtils.isGradMode() || !channelsLastInference) return plain(input, weight, bias, stride, padding);
		final boolean channelsLast = input.getShape().get(1) <= CHANNELS_LAST_MAX &&
			channelsLastFilters(weight.getShape().get(0));
		try (NDArray laidOut = channelsLast ? channelsLast(input) : contiguous(input)) {
			return plain(laidOut, weight, bias, stride, padding);
		}
	}

	/**
	 * The most input channels a layer convolves channels last in inference. Measured layer by layer and
	 * network by network on AVX2 (AMD EPYC, family 25): 64 and 128 alike; every layer channels last made
	 * ResNet-18 and HeatmapNet 1.2-1.3x slower at batch 1.
	 */
	static final long CHANNELS_LAST_MAX = 64;

	/**
	 * Whether a layer of {@code filters} may convolve channels last: fewer than a group of
	 * {@value #CHANNELS_LAST_FILTER_GROUP}, or whole groups. oneDNN 3.5's channels-last kernel computed the
	 * filters of a last, partly filled group wrong on AMD Zen 5 (docs/ENGINE.md: 68 filters, one per face
	 * keypoint, got 64-67 wrong); such a layer, typically a heatmap head, convolves in NCHW, which is right.
	 */
	static boolean channelsLastFilters(final long filters) {
		return filters < CHANNELS_LAST_FILTER_GROUP || filters % CHANNELS_LAST_FILTER_GROUP == 0;
	}

	static final long CHANNELS_LAST_FILTER_GROUP = 32;

	/** {@code -Dkeypointj.channels_last=false}: inference in NCHW as training, to measure what the layout buys. */
	public static final String CHANNELS_LAST_PROPERTY = "keypointj.channels_last";
	private static volatile boolean channelsLastInference = !"false".equalsIgnoreCase(System.getProperty(
		CHANNELS_LAST_PROPERTY, "true").trim());

	/** Whether inference convolves channels last (where a layer has few channels). */
	public static boolean channelsLastInference() {
		return channelsLastInference;
	}

	/** The layout inference convolves in, for the About report and benchmarks. */
	public static String inferenceLayout() {
		return channelsLastInference ? "channels last in layers of at most " + CHANNELS_LAST_MAX + " input channels and " +
			"whole groups of " + CHANNELS_LAST_FILTER_GROUP + " filters (or fewer) on oneDNN, else NCHW (-D" +
			CHANNELS_LAST_PROPERTY + "=false: NCHW throughout)" : "NCHW throughout (-D" +
				CHANNELS_LAST_PROPERTY + "=false)";
	}

	/** Sets {@link #channelsLastInference} from now on: for benchmarks that compare both layouts in one run. */
	public static void useChannelsLastInference(final boolean use) {
		channelsLastInference = use;
	}

	/** The array in PyTorch's default layout (NCHW): a channels-last one is copied, any other viewed as it is. */
	static NDArray contiguous(final NDArray input) {
		try (NDArray flat = input.reshape(-1)) {
			return flat.reshape(input.getShape());
		}
	}

	/**
	 * The same (N, C, H, W) array with its values in memory in N, H, W, C order (PyTorch's channels_last
	 * strides, as {@code x.contiguous(memory_format=torch.channels_last)}); an input that is already laid
	 * out so is not copied. DJL has no call for it: the values are copied in NHWC order by flattening the
	 * transposed view, which a view cannot express, and viewed back as (N, C, H, W).
	 */
	static NDArray channelsLast(final NDArray input) {
		final Shape shape = input.getShape();
		try (NDArray nhwcView = input.transpose(0, 2, 3, 1);
			NDArray flat = nhwcView.reshape(-1);
			NDArray nhwc = flat.reshape(shape.get(0), shape.get(2), shape.get(3), shape.get(1)))
		{
			return nhwc.transpose(0, 3, 1, 2);
		}
	}

	/**
	 * The same convolution on whole channel blocks: input channels beyond one block are padded with zero
	 * channels (and the weight with zero slices), and in training the filters too, with zero filters
	 * whose output channels are cut off again. The zeros add nothing, so values and gradients are those
	 * of the plain convolution; what changes is that oneDNN never sums over a partly filled channel
	 * block, forward or backward, and never computes gradients for one.
	 */
	static NDArray aligned(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		final long filters = weight.getShape().get(0);
		final long channels = weight.getShape().get(1);
		// Fewer than 16 input channels stay as they are: oneDNN reads them unblocked.
		final long extraChannels = channels > CHANNEL_BLOCK ? missingToWholeBlocks(channels) : 0;
		// Detection keeps them: oneDNN's forward writes a partly filled block right, its backward does not.
		final long extraFilters = JniUtils.isGradMode() && (input.hasGradient() || weight.hasGradient())
			? missingToWholeBlocks(filters) : 0;
		if (extraChannels == 0 && extraFilters == 0) return plain(input, weight, bias, stride, padding);
		final List<NDArray> temporaries = new ArrayList<>();
		NDArray x = input;
		NDArray w = weight;
		NDArray b = bias;
		if (extraChannels > 0) {
			x = keep(temporaries, input.concat(keep(temporaries, zeros(input, 1, extraChannels)), 1));
			w = keep(temporaries, weight.concat(keep(temporaries, zeros(weight, 1, extraChannels)), 1));
		}
		if (extraFilters > 0) {
			w = keep(temporaries, w.concat(keep(temporaries, zeros(w, 0, extraFilters)), 0));
			if (b != null) b = keep(temporaries, b.concat(keep(temporaries, zeros(b, 0, extraFilters)), 0));
		}
		NDArray output = oneDnn(x, w, b, stride, padding);
		if (extraFilters > 0) output = keep(temporaries, output).get(new NDIndex(":, :{}", filters));
		// Autograd holds what the backward pass needs; the Java handles can go.
		for (final NDArray temporary : temporaries) temporary.close();
		return output;
	}

	private static NDArray keep(final List<NDArray> temporaries, final NDArray array) {
		temporaries.add(array);
		return array;
	}

	private static long missingToWholeBlocks(final long count) {
		return (CHANNEL_BLOCK - count % CHANNEL_BLOCK) % CHANNEL_BLOCK;
	}

	/** Zeros shaped like {@code like} except {@code count} along {@code axis}. */
	private static NDArray zeros(final NDArray like, final int axis, final long count) {
		final long[] dimensions = like.getShape().getShape().clone();
		dimensions[axis] = count;
		return like.getManager().zeros(new Shape(dimensions), like.getDataType(), like.getDevice());
	}
}
