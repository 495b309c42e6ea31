package io.github.keypointj.nets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.initializer.Initializer;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.engine.ConvolutionCheck;
import io.github.keypointj.engine.ConvolutionShape;
import io.github.keypointj.engine.KeypointEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The networks KeypointJ can train, each with its recipe: the input it was designed for, how crops are
 * cut (whole region, or a square around the object's box), the default epochs and batch, and whether
 * the learning rate decays, its random changes in training. What a new architecture fills in once.
 */
public enum Architecture {

	// Minimum sides: what the unpadded 5x5 convolutions and poolings leave at least one pixel of.
	NOSE_NET("NoseNet", 80, 60, 1, 36, 0, 25, 1, false, Augmentation.NONE, k -> Networks.noseNet(2 * k),
		TorchInitialization::pytorchDefault),
	FACE_NET("FaceNet", 160, 120, 1, 100, 0, 30, 1, false, Augmentation.faceNet(), k -> Networks.faceNet(2 * k),
		TorchInitialization::pytorchDefault),
	RESNET18("ResNet18", 224, 224, 3, 32, 2.0, 20, 32, false, Augmentation.resNet(), k -> Networks.resNet18(2 * k),
		TorchInitialization::torchvisionResNet),
	/**
	 * Heatmaps with integral regression on a ResNet-18 trunk, on crops of 1.4 times the box: the box
	 * fills most of the input, which a quarter-resolution heatmap needs, with room for the shifts and
	 * scales of augmentation. 128x128: see docs/RESULTS.md for how the size was chosen.
	 */
	HEATMAP_NET("HeatmapNet", 128, 128, 3, 32, 1.4, 80, 32, true, Augmentation.wild(), Networks::heatmapNet,
		TorchInitialization::torchvisionResNet),
	/**
	 * HeatmapNet with its heatmaps at half the input instead of a quarter ({@link Networks#fineHeatmapNet}):
	 * the same crops and recipe, a finer grid for the keypoints. See docs/RESULTS.md for what it buys.
	 */
	FINE_HEATMAP_NET("HeatmapNet-fine", 128, 128, 3, 32, 1.4, 80, 32, true, Augmentation.wild(),
		Networks::fineHeatmapNet, TorchInitialization::torchvisionResNet);

	/** The names as they appear in dialogs, macros and model files. */
	public static final String[] LABELS = { "NoseNet", "FaceNet", "ResNet18", "HeatmapNet", "HeatmapNet-fine" };

	/** {@link #convolutionShapes} per architecture and input, worked out once. */
	private static final Map<List<Object>, List<ConvolutionShape>> CONVOLUTION_SHAPES = new ConcurrentHashMap<>();

	private final String label;
	private final int defaultWidth;
	private final int defaultHeight;
	private final int defaultChannels;
	private final int minimumSide;
	private final double cropBoxScale;
	private final int defaultEpochs;
	private final int defaultBatch;
	private final boolean heatmaps;
	private final Augmentation augmentation;
	private final IntFunction<Block> builder;
	private final BiConsumer<Block, NDManager> initialization;

	Architecture(final String label, final int defaultWidth, final int defaultHeight, final int defaultChannels,
		final int minimumSide, final double cropBoxScale, final int defaultEpochs, final int defaultBatch,
		final boolean heatmaps, final Augmentation augmentation, final IntFunction<Block> builder,
		final BiConsumer<Block, NDManager> initialization)
	{
		this.label = label;
		this.defaultWidth = defaultWidth;
		this.defaultHeight = defaultHeight;
		this.defaultChannels = defaultChannels;
		this.minimumSide = minimumSide;
		this.cropBoxScale = cropBoxScale;
		this.defaultEpochs = defaultEpochs;
		this.defaultBatch = defaultBatch;
		this.heatmaps = heatmaps;
		this.augmentation = augmentation;
		this.builder = builder;
		this.initialization = initialization;
	}

	/** The random changes a training sample gets with augment=true (the report's; none for NoseNet). */
	public Augmentation augmentation() {
		return augmentation;
	}

	public String label() {
		return label;
	}

	public int defaultWidth() {
		return defaultWidth;
	}

	public int defaultHeight() {
		return defaultHeight;
	}

	public int defaultChannels() {
		return defaultChannels;
	}

	/**
	 * The side of the square crop around an object's box, as a multiple of the box's longer side; 0 for
	 * networks trained on whole regions (the IMM nets).
	 */
	public double cropBoxScale() {
		return cropBoxScale;
	}

	/** The report's epochs (NoseNet 25, FaceNet 30, ResNet18 20); HeatmapNet 80, as its shipped model. */
	public int defaultEpochs() {
		return defaultEpochs;
	}

	/** The report's batch size (1 for the IMM nets, 32 for ResNet18). */
	public int defaultBatch() {
		return defaultBatch;
	}

	/**
	 * Whether the network predicts heatmaps (and so a confidence per keypoint), trained with their loss
	 * and a decaying learning rate; the others regress coordinates with the report's constant rate.
	 */
	public boolean heatmaps() {
		return heatmaps;
	}

	/** Why the network cannot take a {@code width x height} input, or null when it can. */
	public String inputSizeProblem(final int width, final int height) {
		if (width > MAXIMUM_SIDE || height > MAXIMUM_SIDE) {
			return "network inputs can be at most " + MAXIMUM_SIDE + " pixels a side, not " + width + "x" + height +
				" (the networks were designed for 60 to 224; a larger input needs memory no machine has: scale or crop " +
				"the planes instead)";
		}
		if (width >= minimumSide && height >= minimumSide) return null;
		return label + " needs inputs of at least " + minimumSide + "x" + minimumSide + " pixels, not " + width + "x" +
			height;
	}

	/**
	 * The largest input side: one 2048x2048 RGB input of a ResNet-18 already takes gigabytes of activations
	 * to train; 100000x100000 ran out of memory with "Module threw error" (issue 14, case 11).
	 */
	static final int MAXIMUM_SIDE = 2048;

	/**
	 * A new, uninitialised network whose first output is two values (x, y) per keypoint; a heatmap
	 * network's second output is the heatmaps' log-probabilities ({@link SoftArgmax}).
	 */
	public Block build(final int keypoints) {
		if (keypoints < 1) throw new KeypointException("A model needs at least one keypoint, not " + keypoints + ".");
		return builder.apply(keypoints);
	}

	/** Re-draws the weights of a network built by {@link #build} the way its reference implementation starts. */
	public void initialize(final Block network, final NDManager scratch) {
		initialization.accept(network, scratch);
	}

	/**
	 * The convolution layers of this network for one input of {@code channels x height x width} and
	 * {@code keypoints} keypoints (a heatmap network's last convolution has a filter per keypoint), in
	 * order: what the numerical check of the engine's convolutions runs, forward and backward.
	 */
	public List<ConvolutionShape> convolutionShapes(final int channels, final int height, final int width,
		final int keypoints)
	{
		// Building a network and walking it takes a ResNet-18 a few hundred milliseconds: once per input.
		return CONVOLUTION_SHAPES.computeIfAbsent(List.of(this, channels, height, width, keypoints), key -> {
			KeypointEngine.get(); // the walk makes arrays: the engine must start KeypointJ's way (offline)
			return convolutionShapes(label, build(keypoints), new Shape(1, channels, height, width));
		});
	}

	/** The convolution layers of {@code network} for an input of {@code input}'s shape, in order, named by {@code label}. */
	public static List<ConvolutionShape> convolutionShapes(final String label, final Block network, final Shape input) {
		final List<ConvolutionShape> shapes = new ArrayList<>();
		collectConvolutions(label, network, input, shapes);
		return List.copyOf(shapes);
	}

	/** Walks {@code block} with the shape of its input; a parallel block's branches all get that input. */
	private static void collectConvolutions(final String label, final Block block, final Shape input,
		final List<ConvolutionShape> shapes)
	{
		if (block instanceof Convolution) {
			final Convolution convolution = (Convolution) block;
			shapes.add(new ConvolutionShape(label + " conv " + (shapes.size() + 1), (int) input.get(1), (int) input.get(2),
				(int) input.get(3), convolution.getFilters(), (int) convolution.getKernelShape().get(0),
				(int) convolution.getStride().get(0), (int) convolution.getPadding().get(0), !shapes.isEmpty()));
			return;
		}
		Shape current = input;
		for (final Block child : block.getChildren().values()) {
			collectConvolutions(label, child, block instanceof ParallelBlock ? input : current, shapes);
			if (!(block instanceof ParallelBlock)) current = child.getOutputShapes(new Shape[] { current })[0];
		}
	}

	/**
	 * A training step of this network for the engine's check: a batch of {@code batch} design inputs.
	 * Its weights are drawn in Java, not from PyTorch's random generator: a check must not change what
	 * a seeded training draws after it.
	 */
	ConvolutionCheck.NetworkStep checkStep(final int batch) {
		return new ConvolutionCheck.NetworkStep(label, new Shape(batch, defaultChannels, defaultHeight, defaultWidth),
			manager -> {
			final Block network = build(1);
			final SplittableRandom random = new SplittableRandom(ordinal());
			final Initializer uniform = (scope, shape, type) -> {
				final float[] values = new float[Math.toIntExact(shape.size())];
				for (int i = 0; i < values.length; i++) values[i] = (float) (0.2 * random.nextDouble() - 0.1);
				return scope.create(values, shape);
			};
			network.setInitializer(uniform, Parameter.Type.WEIGHT);
			network.setInitializer(uniform, Parameter.Type.BIAS);
			network.initialize(manager, DataType.FLOAT32, new Shape(1, defaultChannels, defaultHeight, defaultWidth));
			return network;
		});
	}

	/** The convolution layers of every network at its design input. */
	public static List<ConvolutionShape> allConvolutionShapes() {
		final List<ConvolutionShape> shapes = new ArrayList<>();
		for (final Architecture a : values()) {
			shapes.addAll(a.convolutionShapes(a.defaultChannels, a.defaultHeight, a.defaultWidth, 1));
		}
		return shapes;
	}

	/**
	 * Makes sure the engine convolves right for this network at its design input and at
	 * {@code channels x height x width} with {@code keypoints} keypoints: the numerical check
	 * (docs/ENGINE.md) of the shapes not checked yet in this process. Only what is used is checked: a
	 * detection with one model checks that model's layers (a second in a fresh Java, where checking all
	 * four networks took 2-7 s on 2 cores), its last layer with the model's own filter count: on Zen 5,
	 * oneDNN's channels-last kernel computed filters 64-67 of a 68-filter convolution of 64 channels wrong,
	 * which a check with one keypoint did not see.
	 */
	public void verifyConvolutions(final int channels, final int height, final int width, final int keypoints) {
		final List<ConvolutionShape> shapes = new ArrayList<>(convolutionShapes(defaultChannels, defaultHeight,
			defaultWidth, keypoints));
		shapes.addAll(convolutionShapes(channels, height, width, keypoints));
		KeypointEngine.verifyConvolutions(shapes, List.of());
	}

	/**
	 * The check before a training: the training steps that caught kernels reading unwritten memory
	 * ({@link #checkSteps}), once per process.
	 */
	public static void verifyTraining() {
		KeypointEngine.verifyConvolutions(List.of(), checkSteps());
	}

	/** Every network at its design input and the training steps, e.g. for About KeypointJ. */
	public static void verifyConvolutions() {
		KeypointEngine.verifyConvolutions(allConvolutionShapes(), checkSteps());
	}

	/**
	 * The training steps the check runs: NoseNet at batch 8 (its first layer read unwritten memory at 8,
	 * not at 2) and FaceNet at 2. ResNet-18's channel counts are whole blocks, and its step alone would
	 * take 0.3 s: its layers are checked.
	 */
	public static List<ConvolutionCheck.NetworkStep> checkSteps() {
		return List.of(NOSE_NET.checkStep(8), FACE_NET.checkStep(2));
	}

	public static Architecture fromLabel(final String label) {
		for (final Architecture architecture : values()) {
			if (architecture.label.equalsIgnoreCase(label)) return architecture;
		}
		throw new KeypointException("architecture: '" + label + "' is not one of " + String.join(", ", LABELS) + ".");
	}
}
