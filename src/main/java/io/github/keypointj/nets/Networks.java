package io.github.keypointj.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.keypointj.engine.Convolutions;

import java.util.Arrays;

/**
 * The report's three networks and the heatmap network as DJL blocks, for any input size, channel count and
 * number of keypoints.
 * Input and channel counts are fixed when the block is initialised with an input shape (N, C, H, W).
 */
public final class Networks {

	private Networks() {}

	/** {@code -Dkeypointj.fold_batchnorm=false}: inference runs each BatchNorm on its own, to measure what folding buys. */
	public static final String FOLD_BATCHNORM_PROPERTY = "keypointj.fold_batchnorm";
	private static volatile boolean foldBatchNorm = !"false".equalsIgnoreCase(System.getProperty(FOLD_BATCHNORM_PROPERTY,
		"true").trim());

	/** Whether inference folds each BatchNorm into the convolution before it ({@link FoldedBatchNorm}). */
	public static boolean foldsBatchNorm() {
		return foldBatchNorm;
	}

	/** Sets {@link #foldsBatchNorm} from now on: for tests and benchmarks that compare both in one run. */
	public static void foldBatchNorm(final boolean fold) {
		foldBatchNorm = fold;
	}

	/** NoseNet: three 5x5 conv (12, 24, 32) each with ReLU and 2x2 max-pool, FC 120 + ReLU, FC outputs. */
	public static Block noseNet(final int outputs) {
		return new Releasing.SequentialBlock()
			.add(convReluPool(12))
			.add(convReluPool(24))
			.add(convReluPool(32))
			.add(Blocks.batchFlattenBlock())
			.add(Linear.builder().setUnits(120).build())
			.add(Activation.reluBlock())
			.add(Linear.builder().setUnits(outputs).build());
	}

	/**
	 * FaceNet: 5x5 conv to 12, 32, 64 (each + ReLU + 2x2 max-pool), 5x5 conv to 128 and 32 (+ ReLU),
	 * FC 160 + ReLU, FC outputs.
	 */
	public static Block faceNet(final int outputs) {
		return new Releasing.SequentialBlock()
			.add(convReluPool(12))
			.add(convReluPool(32))
			.add(convReluPool(64))
			.add(conv(128, 5, 1, 0, true)).add(Activation.reluBlock())
			.add(conv(32, 5, 1, 0, true)).add(Activation.reluBlock())
			.add(Blocks.batchFlattenBlock())
			.add(Linear.builder().setUnits(160).build())
			.add(Activation.reluBlock())
			.add(Linear.builder().setUnits(outputs).build());
	}

	/**
	 * ResNet-18 as torchvision builds it: 7x7/2 stem with BatchNorm, 3x3/2 max-pool, four stages of two
	 * basic blocks (64, 128, 256, 512 channels), global average pooling, FC outputs. (DJL's own
	 * {@code ResNetV1} with 18 layers is a different, much smaller bottleneck network.)
	 */
	public static Block resNet18(final int outputs) {
		final Releasing.SequentialBlock net = new Releasing.SequentialBlock();
		net.add(conv(64, 7, 2, 3, false))
			.add(FoldedBatchNorm.batchNorm())
			.add(Activation.reluBlock())
			.add(new MaxPool2d(3, 2, 1));
		final int[] stageChannels = { 64, 128, 256, 512 };
		for (int stage = 0; stage < stageChannels.length; stage++) {
			final int stride = stage == 0 ? 1 : 2;
			net.add(basicBlock(stageChannels[stage], stride, stage > 0));
			net.add(basicBlock(stageChannels[stage], 1, false));
		}
		return net
			.add(Pool.globalAvgPool2dBlock())
			.add(Linear.builder().setUnits(outputs).build());
	}

	/**
	 * The heatmap network (the report's "bells and whistles"): ResNet-18's stem and four stages as the
	 * trunk, and a top-down path as in feature pyramids: from the deepest stage, each level is brought to
	 * the next shallower one's size (bilinear), added to that stage's features (through a 1x1
	 * convolution to {@value #DECODER_CHANNELS} channels), and mixed by a 3x3 convolution, down to a
	 * quarter of the input. There a 1x1 convolution gives one heatmap per keypoint, and
	 * {@link SoftArgmax} its expected position (integral regression) and its probabilities.
	 */
	public static Block heatmapNet(final int keypoints) {
		final Block stem = new Releasing.SequentialBlock()
			.add(conv(64, 7, 2, 3, false))
			.add(FoldedBatchNorm.batchNorm())
			.add(Activation.reluBlock())
			.add(new MaxPool2d(3, 2, 1))
			.add(basicBlock(64, 1, false))
			.add(basicBlock(64, 1, false));
		return new Releasing.SequentialBlock()
			.add(stem)
			.add(topDownPath(resNet18Stages(), DECODER_CHANNELS))
			.add(conv(keypoints, 1, 1, 0, true))
			.add(new SoftArgmax());
	}

	/**
	 * The heatmap network with heatmaps at half the input instead of a quarter: one more level of the
	 * top-down path merges the stem's convolution (before its max-pool). That level has
	 * {@value #FINE_DECODER_CHANNELS} channels, so that its 3x3 convolution on four times the cells costs
	 * what one 128-channel level at a quarter does.
	 */
	public static Block fineHeatmapNet(final int keypoints) {
		final Block stemConvolution = new Releasing.SequentialBlock()
			.add(conv(64, 7, 2, 3, false))
			.add(FoldedBatchNorm.batchNorm())
			.add(Activation.reluBlock());
		final Block quarter = new Releasing.SequentialBlock()
			.add(new MaxPool2d(3, 2, 1))
			.add(basicBlock(64, 1, false))
			.add(basicBlock(64, 1, false))
			.add(topDownPath(resNet18Stages(), DECODER_CHANNELS))
			.add(convBatchNorm(FINE_DECODER_CHANNELS, 1)); // to the finest level's channels before resizing
		return new Releasing.SequentialBlock()
			.add(stemConvolution)
			.add(topDownMerge(quarter, FINE_DECODER_CHANNELS))
			.add(conv(keypoints, 1, 1, 0, true))
			.add(new SoftArgmax());
	}

	/** Channels of the fine heatmap network's level at half the input. */
	static final int FINE_DECODER_CHANNELS = 64;

	/** ResNet-18's last three stages (128, 256, 512 channels, each halving the size), as the heatmap networks use them. */
	private static Block[] resNet18Stages() {
		final int[] stageChannels = { 128, 256, 512 };
		final Block[] stages = new Block[stageChannels.length];
		for (int i = 0; i < stages.length; i++) {
			stages[i] = new Releasing.SequentialBlock()
				.add(basicBlock(stageChannels[i], 2, true))
				.add(basicBlock(stageChannels[i], 1, false));
		}
		return stages;
	}

	/**
	 * The object stage (CenterNet's "objects as points", Zhou et al. 2019, on a small trunk): four
	 * strided 3x3 stages (32, 64, 128, 128 channels, down to 1/32 of the input, enough context for an
	 * object half the input wide) and the same top-down path as {@link #heatmapNet}, with
	 * {@value #OBJECT_DECODER_CHANNELS} channels, back to a quarter of the input. There a 3x3 convolution
	 * and a 1x1 one give the maps: an object centre's logit, and the log of its box's width and height.
	 * Every channel count is a whole 16-channel block, the last one's too (docs/ENGINE.md: oneDNN's input
	 * gradient is wrong on one CPU for other filter counts), so {@value #OBJECT_OUTPUTS} maps are computed
	 * and the first {@value #OBJECT_MAPS} used.
	 */
	public static Block objectNet() {
		final Block stem = new Releasing.SequentialBlock()
			.add(conv(16, 3, 2, 1, false)).add(FoldedBatchNorm.batchNorm()).add(Activation.reluBlock())
			.add(conv(32, 3, 2, 1, false)).add(FoldedBatchNorm.batchNorm()).add(Activation.reluBlock())
			.add(basicBlock(32, 1, false));
		final int[] stageChannels = { 64, 128, 128 };
		final Block[] stages = new Block[stageChannels.length];
		for (int i = 0; i < stages.length; i++) stages[i] = basicBlock(stageChannels[i], 2, true);
		return new Releasing.SequentialBlock()
			.add(stem)
			.add(topDownPath(stages, OBJECT_DECODER_CHANNELS))
			.add(conv(OBJECT_DECODER_CHANNELS, 3, 1, 1, true)).add(Activation.reluBlock())
			.add(conv(OBJECT_OUTPUTS, 1, 1, 0, true));
	}

	/** Channels of the object stage's top-down path. */
	static final int OBJECT_DECODER_CHANNELS = 32;
	/** The object stage's maps: centre logit, log width, log height. */
	public static final int OBJECT_MAPS = 3;
	/** The object stage's last convolution's filters: {@link #OBJECT_MAPS} rounded up to a whole block. */
	static final int OBJECT_OUTPUTS = 16;

	/**
	 * The stages one after another, each followed by the merge with everything deeper, as in feature
	 * pyramids: the output has the first stage's input size and {@code channels} channels.
	 */
	private static Block topDownPath(final Block[] stages, final int channels) {
		// From the deepest level up: each level is its stage followed by the merge with everything deeper.
		Block deeper = new Releasing.SequentialBlock().add(stages[stages.length - 1])
			.add(convBatchNorm(channels, 1)).add(Activation.reluBlock());
		for (int i = stages.length - 2; i >= 0; i--) {
			deeper = new Releasing.SequentialBlock().add(stages[i]).add(topDownMerge(deeper, channels));
		}
		return topDownMerge(deeper, channels);
	}

	/** Channels of the heatmap network's top-down path. */
	static final int DECODER_CHANNELS = 128;

	/**
	 * {@code deeper(x)} resized to x's size, plus x through a 1x1 convolution to {@code channels}, then a
	 * 3x3 convolution:
	 * one level of the top-down path. Resizing to the lateral's own size (not by 2) takes any input size.
	 */
	private static Block topDownMerge(final Block deeper, final int channels) {
		final Block lateral = convBatchNorm(channels, 1);
		return new Releasing.SequentialBlock()
			.add(new ParallelBlock(Merge.RESIZED_SUM, deeper, lateral))
			.add(convBatchNorm(channels, 3))
			.add(Activation.reluBlock());
	}

	/** DJL's code for bilinear interpolation in {@code NDArrayEx.interpolation} (PyTorch's kBilinear). */
	private static final int BILINEAR = 1;

	/** How a {@link ParallelBlock} merges its two branches' outputs. */
	enum Merge {
		/** The sum, in place, as torchvision's "out += identity": the first branch's output is not needed for backward. */
		SUM {
			@Override
			NDArray apply(final NDArray first, final NDArray second) {
				return first.addi(second);
			}
		},
		/** The first resized (bilinear) to the second's height and width, plus the second: a top-down level. */
		RESIZED_SUM {
			@Override
			NDArray apply(final NDArray coarse, final NDArray fine) {
				final Shape size = fine.getShape();
				final NDArray resized = coarse.getNDArrayInternal().interpolation(new long[] { size.get(2), size.get(3) },
					BILINEAR, false);
				return resized.addi(fine);
			}
		};

		abstract NDArray apply(NDArray first, NDArray second);
	}

	/**
	 * DJL's parallel block of two branches whose merge is known by name, so that {@link ScriptedNetwork}
	 * can write it. Its simple name is DJL's: parameter names are made of the blocks' class names.
	 */
	static final class ParallelBlock extends ai.djl.nn.ParallelBlock {

		private final Merge merge;

		ParallelBlock(final Merge merge, final Block first, final Block second) {
			super(branches -> new NDList(merge.apply(branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow())),
				Arrays.asList(first, second));
			this.merge = merge;
		}

		Merge merge() {
			return merge;
		}
	}

	private static Block convBatchNorm(final int filters, final int kernel) {
		return new Releasing.SequentialBlock()
			.add(conv(filters, kernel, 1, kernel / 2, false))
			.add(FoldedBatchNorm.batchNorm());
	}

	/** Two 3x3 conv with BatchNorm around a shortcut (a strided 1x1 conv where the shape changes), then ReLU. */
	private static Block basicBlock(final int channels, final int stride, final boolean projectShortcut) {
		final Block residual = new Releasing.SequentialBlock()
			.add(conv(channels, 3, stride, 1, false))
			.add(FoldedBatchNorm.batchNorm())
			.add(Activation.reluBlock())
			.add(conv(channels, 3, 1, 1, false))
			.add(FoldedBatchNorm.batchNorm());
		final Block shortcut = projectShortcut
			? new Releasing.SequentialBlock().add(conv(channels, 1, stride, 0, false)).add(FoldedBatchNorm.batchNorm())
			: Blocks.identityBlock();
		return new Releasing.SequentialBlock()
			.add(new ParallelBlock(Merge.SUM, residual, shortcut))
			.add(Activation.reluBlock());
	}

	private static Block convReluPool(final int filters) {
		return new Releasing.SequentialBlock()
			.add(conv(filters, 5, 1, 0, true))
			.add(Activation.reluBlock())
			.add(new MaxPool2d(2, 2, 0));
	}

	private static Conv2d conv(final int filters, final int kernel, final int stride, final int padding,
		final boolean bias)
	{
		return new Conv2d(ai.djl.nn.convolutional.Conv2d.builder()
			.setFilters(filters)
			.setKernelShape(new Shape(kernel, kernel))
			.optStride(new Shape(stride, stride))
			.optPadding(new Shape(padding, padding))
			.optBias(bias));
	}

	/** Training passes through any convolution so far: where the count moved, the weights may have changed. */
	private static final java.util.concurrent.atomic.AtomicLong TRAINING_PASSES = new java.util.concurrent.atomic.AtomicLong();

	static long trainingPasses() {
		return TRAINING_PASSES.get();
	}

	/** Makes every convolution of {@code block} fold its BatchNorm again at its next inference. */
	static void forgetFolds(final Block block) {
		if (block instanceof Conv2d convolution) convolution.forgetFolded();
		for (final Block child : block.getChildren().values()) forgetFolds(child);
	}

	/**
	 * DJL's 2-D convolution, computed by {@link Convolutions}: on the path that the numerical check at
	 * start-up found correct on this machine. Its simple name is DJL's: parameter names are made of the
	 * blocks' class names, and every saved model depends on them.
	 */
	static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

		Conv2d(final Builder builder) {
			super(builder);
		}

		/** This convolution with the BatchNorm after it folded in, for inference; null until first needed. */
		private FoldedBatchNorm folded;

		@Override
		protected NDList forwardInternal(final ParameterStore parameterStore, final NDList inputs, final boolean training,
			final PairList<String, Object> params)
		{
			// Training changes the weights and the BatchNorm's statistics: a folded copy would be stale.
			if (training) {
				forgetFolded();
				TRAINING_PASSES.incrementAndGet();
			}
			final NDArray input = inputs.singletonOrThrow();
			final NDArray weights = parameterStore.getValue(weight, input.getDevice(), training);
			final NDArray biases = bias == null ? null : parameterStore.getValue(bias, input.getDevice(), training);
			return new NDList(Convolutions.forward(input, weights, biases, stride, padding));
		}

		/**
		 * This convolution followed by {@code batchNorm} in inference, as one convolution whose weights and
		 * bias are scaled by the BatchNorm's running statistics (computed once, then kept while the
		 * parameters are the same arrays and no training step has run).
		 */
		NDList forwardFoldedInto(final BatchNorm batchNorm, final ParameterStore parameterStore, final NDList inputs) {
			final NDArray input = inputs.singletonOrThrow();
			final NDArray weights = parameterStore.getValue(weight, input.getDevice(), false);
			final NDArray biases = bias == null ? null : parameterStore.getValue(bias, input.getDevice(), false);
			final NDArray[] statistics = FoldedBatchNorm.statistics(batchNorm, parameterStore, input.getDevice());
			synchronized (this) {
				if (folded == null || !folded.isOf(weights, biases, statistics)) {
					forgetFolded();
					folded = FoldedBatchNorm.of(weights, biases, statistics);
				}
				return new NDList(Convolutions.forward(input, folded.weights(), folded.biases(), stride, padding));
			}
		}

		/** Whether this convolution holds a fold of the BatchNorm after it. */
		synchronized boolean isFolded() {
			return folded != null;
		}

		private synchronized void forgetFolded() {
			if (folded == null) return;
			folded.close();
			folded = null;
		}
	}
}
