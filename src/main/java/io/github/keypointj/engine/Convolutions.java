package io.github.keypointj.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
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
	public static final int CHANNEL_BLOCK = 16;
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
		return withThreadLocal(checking, path, check);
	}

	private static <V, T> T withThreadLocal(final ThreadLocal<V> local, final V value, final Supplier<T> work) {
		local.set(value);
		try {
			return work.get();
		}
		finally {
			local.remove();
		}
	}

	/** Convolves on the active path (or the one under check on this thread); {@code bias} may be null. */
	public static NDArray forward(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		final ConvolutionPath checked = checking.get();
		final ConvolutionPath path = checked != null ? checked : active;
		if (!JniUtils.isGradMode()) return infer(path, input, weight, bias, stride, padding);
		return switch (path) {
			case ONEDNN, NATIVE -> plain(input, weight, bias, stride, padding);
			case ALIGNED -> aligned(input, weight, bias, stride, padding, Convolutions::plain);
		};
	}

	/** PyTorch's convolution of the input as it is laid out. */
	static NDArray plain(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		return Conv2d.conv2d(input, weight, bias, stride, padding, NO_DILATION, 1).singletonOrThrow();
	}

	/**
	 * Inference (gradients off): on the oneDNN paths, each layer shape in the layout that measured fastest
	 * here ({@link InferenceLayout}, {@link MeasuredChoice}), unless {@value #INFERENCE_LAYOUT_PROPERTY}
	 * forces one. Training keeps NCHW: its backward kernels are the ones the start-up check's training steps
	 * and docs/ENGINE.md cover; the check's inference part runs each oneDNN layout a layer may take.
	 */
	private static NDArray infer(final ConvolutionPath path, final NDArray input, final NDArray weight,
		final NDArray bias, final Shape stride, final Shape padding)
	{
		if (path == ConvolutionPath.NATIVE) return plain(input, weight, bias, stride, padding);
		final InferenceLayout underCheck = checkedLayout.get();
		if (underCheck != null) return inferIn(underCheck, path, input, weight, bias, stride, padding);
		final List<InferenceLayout> candidates = inferenceLayouts(weight.getShape().get(1), weight.getShape().get(0));
		final InferenceLayout usual = candidates.contains(InferenceLayout.CHANNELS_LAST) ? InferenceLayout.CHANNELS_LAST
			: InferenceLayout.NCHW;
		if (forcedLayout != null) {
			final InferenceLayout layout = candidates.contains(forcedLayout) ? forcedLayout : usual;
			return inferIn(layout, path, input, weight, bias, stride, padding);
		}
		final LayerKey key = new LayerKey(input.getShape(), weight.getShape(), stride, padding, path);
		return measuredLayouts.run(key, usual, candidates, layout -> inferIn(layout, path, input, weight, bias, stride,
			padding));
	}

	/** A layer's shape as its inference layout is measured: the same layer at another batch is another key. */
	private record LayerKey(Shape input, Shape weight, Shape stride, Shape padding, ConvolutionPath path) {}

	private static final MeasuredChoice<LayerKey, InferenceLayout> measuredLayouts = new MeasuredChoice<>(System::nanoTime);

	/**
	 * The layouts a layer of {@code channels} into {@code filters} may take in inference on a oneDNN path:
	 * those the start-up check verifies ({@link #checkedLayouts}) and PyTorch's own kernel where oneDNN can
	 * be switched off. Before a layer's layout is measured, and where it is seen too rarely to measure, it
	 * takes channels last where it may (what measured best on AVX2), else NCHW.
	 */
	static List<InferenceLayout> inferenceLayouts(final long channels, final long filters) {
		final List<InferenceLayout> layouts = new ArrayList<>(checkedLayouts(channels, filters));
		if (KeypointEngine.canSwitchOneDnnOff()) layouts.add(InferenceLayout.NATIVE);
		return layouts;
	}

	/**
	 * The oneDNN layouts of a layer that the start-up check verifies (PyTorch's own kernel is right): NCHW,
	 * and channels last up to {@value #CHANNELS_LAST_MAX} input channels unless the filters end in a partly
	 * filled group of {@value #CHANNELS_LAST_FILTER_GROUP} ({@link #channelsLastFilters}). Beyond 64 channels
	 * oneDNN's channels-last kernels were slower on AVX2 and wrong on Zen 5 for some shapes (ResNet-18's
	 * 256 to 512 channels, 1x1, stride 2: 32 of 512 filters wrong), so they are not offered.
	 */
	static List<InferenceLayout> checkedLayouts(final long channels, final long filters) {
		return channels <= CHANNELS_LAST_MAX && channelsLastFilters(filters)
			? List.of(InferenceLayout.NCHW, InferenceLayout.CHANNELS_LAST) : List.of(InferenceLayout.NCHW);
	}

	/** One inference convolution in {@code layout}; on the aligned path, oneDNN's on whole channel blocks. */
	static NDArray inferIn(final InferenceLayout layout, final ConvolutionPath path, final NDArray input,
		final NDArray weight, final NDArray bias, final Shape stride, final Shape padding)
	{
		if (layout == InferenceLayout.NATIVE) {
			return KeypointEngine.withoutOneDnn(() -> {
				try (NDArray nchw = contiguous(input)) {
					return plain(nchw, weight, bias, stride, padding);
				}
			});
		}
		final Convolution laidOut = (x, w, b, s, p) -> {
			try (NDArray arranged = layout == InferenceLayout.CHANNELS_LAST ? channelsLast(x) : contiguous(x)) {
				return plain(arranged, w, b, s, p);
			}
		};
		return path == ConvolutionPath.ALIGNED ? aligned(input, weight, bias, stride, padding, laidOut)
			: laidOut.forward(input, weight, bias, stride, padding);
	}

	/** Runs {@code check}'s inference convolutions on this thread in {@code layout}: how the start-up check tries each. */
	static <T> T checkingIn(final InferenceLayout layout, final Supplier<T> check) {
		return withThreadLocal(checkedLayout, layout, check);
	}

	private static final ThreadLocal<InferenceLayout> checkedLayout = new ThreadLocal<>();

	/** The layout under check on this thread, or null. */
	static InferenceLayout layoutUnderCheck() {
		return checkedLayout.get();
	}

	/**
	 * The most input channels a layer may convolve channels last. Measured layer by layer and network by
	 * network on AVX2 (AMD EPYC, family 25): 64 and 128 alike; every layer channels last made ResNet-18
	 * and HeatmapNet 1.2-1.3x slower at batch 1.
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

	/**
	 * {@code -Dkeypointj.inference_layout=measured|nchw|channels_last|native}: {@code measured} (the
	 * default) measures each layer shape's layouts; the others force one wherever a layer may take it, to
	 * measure what each buys.
	 */
	public static final String INFERENCE_LAYOUT_PROPERTY = "keypointj.inference_layout";
	private static volatile InferenceLayout forcedLayout = InferenceLayout.parseForced(System.getProperty(
		INFERENCE_LAYOUT_PROPERTY), INFERENCE_LAYOUT_PROPERTY);

	/** The layout every inference convolution takes where it may, or null where each layer's is measured. */
	public static InferenceLayout forcedInferenceLayout() {
		return forcedLayout;
	}

	/** The inference layouts from now on: {@code layout} where a layer may take it, or null to measure them. */
	public static void useInferenceLayout(final InferenceLayout layout) {
		forcedLayout = layout;
	}

	/** The layout inference convolves in, for the About report and benchmarks. */
	public static String inferenceLayout() {
		if (forcedLayout != null) return forcedLayout.description() + " wherever a layer may take it, else NCHW (-D" +
			INFERENCE_LAYOUT_PROPERTY + "=" + forcedLayout.label() + ")";
		final StringBuilder chosen = new StringBuilder();
		measuredLayouts.choices(InferenceLayout.class).forEach((layout, count) -> chosen.append(chosen.isEmpty() ? ""
			: ", ").append(layout.description()).append(" ").append(count));
		return "measured per layer shape among NCHW, channels last (up to " + CHANNELS_LAST_MAX + " input channels, not " +
			"where the filters end in a partly filled group of " + CHANNELS_LAST_FILTER_GROUP + ")" + (KeypointEngine.canSwitchOneDnnOff() ? " and PyTorch's own kernel" : "") +
			" on oneDNN's paths; chosen so far: " + (chosen.isEmpty() ? "none" : chosen) + " (-D" +
			INFERENCE_LAYOUT_PROPERTY + "=nchw, channels_last or native forces one)";
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
	 * block, forward or backward, and never computes gradients for one. {@code convolution} convolves the
	 * padded arrays.
	 */
	static NDArray aligned(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding, final Convolution convolution)
	{
		final long filters = weight.getShape().get(0);
		final long channels = weight.getShape().get(1);
		final boolean training = JniUtils.isGradMode() && (input.hasGradient() || weight.hasGradient());
		// Fewer than 16 input channels stay as they are (oneDNN reads them unblocked) unless padding them pays.
		final long extraChannels = channels > CHANNEL_BLOCK || training && weight.hasGradient() &&
			padsForWeightGradient(input.getShape(), weight.getShape(), stride, padding) ? missingToWholeBlocks(channels) : 0;
		// Detection keeps them: oneDNN's forward writes a partly filled block right, its backward does not.
		final long extraFilters = training ? missingToWholeBlocks(filters) : 0;
		if (extraChannels == 0 && extraFilters == 0) return convolution.forward(input, weight, bias, stride, padding);
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
		NDArray output = convolution.forward(x, w, b, stride, padding);
		if (extraFilters > 0) output = firstChannels(keep(temporaries, output), filters);
		// Autograd holds what the backward pass needs; the Java handles can go.
		for (final NDArray temporary : temporaries) temporary.close();
		return output;
	}

	/**
	 * The first {@code count} channels of {@code array} (N, C, H, W), a view. One slice of the channel axis:
	 * DJL's {@code get(":, :count")} slices the batch axis too, whose full-range slice is a view as well
	 * but whose backward pass, like every slice's, allocates the whole array's gradient in zeros and copies
	 * into it, a second time for nothing (NoseNet at batch 32: 8.7 MB twice a step in its first layer).
	 */
	static NDArray firstChannels(final NDArray array, final long count) {
		return JniUtils.slice((PtNDArray) array, 1, 0, count, 1);
	}

	/**
	 * Whether a training convolution of fewer than 16 input channels has them padded to a whole block for its
	 * weight gradient: more than half a block and at least {@value #PADDED_WEIGHT_GRADIENT_POSITIONS} output
	 * positions in the batch. oneDNN 3.5's AVX-512 weight gradient takes whole blocks; on a partly filled one
	 * it falls back to its AVX2 kernel, which took 4.7 ms a step for NoseNet's second layer (12 channels,
	 * batch 32) on AMD Zen 5 where the padded layer's took 1.9. Forward and backward together, the copies
	 * that pad included ({@code bench.ChannelPadding}): 4-19 % faster padded from 3,264 output positions
	 * up, up to 15 % slower at 1,632 and fewer; for 8 channels or fewer, equal or slower.
	 */
	static boolean padsForWeightGradient(final Shape input, final Shape weight, final Shape stride, final Shape padding) {
		final long channels = weight.get(1);
		if (channels <= CHANNEL_BLOCK / 2 || channels >= CHANNEL_BLOCK) return false;
		final long height = (input.get(2) + 2 * padding.get(0) - weight.get(2)) / stride.get(0) + 1;
		final long width = (input.get(3) + 2 * padding.get(1) - weight.get(3)) / stride.get(1) + 1;
		return input.get(0) * height * width >= PADDED_WEIGHT_GRADIENT_POSITIONS;
	}

	/** Output positions (batch x height x width) from which padding pays, measured on AMD Zen 5 (between 1,632 and 3,264). */
	static final long PADDED_WEIGHT_GRADIENT_POSITIONS = 3_000;

	private static NDArray keep(final List<NDArray> temporaries, final NDArray array) {
		temporaries.add(array);
		return array;
	}

	/** {@code count} channels rounded up to whole {@link #CHANNEL_BLOCK}s. */
	public static long wholeBlocks(final long count) {
		return (count + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
	}

	private static long missingToWholeBlocks(final long count) {
		return wholeBlocks(count) - count;
	}

	/** Zeros shaped like {@code like} except {@code count} along {@code axis}. */
	private static NDArray zeros(final NDArray like, final int axis, final long count) {
		final long[] dimensions = like.getShape().getShape().clone();
		dimensions[axis] = count;
		return like.getManager().zeros(new Shape(dimensions), like.getDataType(), like.getDevice());
	}
}
