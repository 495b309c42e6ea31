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
		return path == ConvolutionPath.ALIGNED ? aligned(input, weight, bias, stride, padding)
			: plain(input, weight, bias, stride, padding);
	}

	static NDArray plain(final NDArray input, final NDArray weight, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		return Conv2d.conv2d(input, weight, bias, stride, padding, NO_DILATION, 1).singletonOrThrow();
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
		NDArray output = plain(x, w, b, stride, padding);
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
