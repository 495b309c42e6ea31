package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.nets.Networks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvolutionsTest {

	@BeforeAll
	static void chooseARightPath() {
		Architecture.verifyConvolutions();
	}

	/** Channels last is a layout, not other values: read back, the array is the same, and so is its NCHW copy. */
	@Test
	void channelsLastKeepsEveryValueInItsPlace() {
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final NDArray x = manager.arange(2 * 3 * 5 * 7f).reshape(2, 3, 5, 7);
			final NDArray channelsLast = Convolutions.channelsLast(x);
			assertEquals(x.getShape(), channelsLast.getShape());
			assertArrayEquals(x.toFloatArray(), channelsLast.toFloatArray());
			assertArrayEquals(x.toFloatArray(), Convolutions.channelsLast(channelsLast).toFloatArray());
			assertArrayEquals(x.toFloatArray(), Convolutions.contiguous(channelsLast).toFloatArray());
			// what comes after a convolution reads it by position as well
			assertArrayEquals(x.get("1, 2").toFloatArray(), channelsLast.get("1, 2").toFloatArray());
			assertArrayEquals(x.add(1).toFloatArray(), channelsLast.add(1).toFloatArray());
		}
	}


	/** The cut that drops padded filters keeps the first channels, and their gradient reaches those alone. */
	@Test
	void firstChannelsAreTheLeadingChannelsWithTheirGradient() {
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final NDArray x = manager.arange(2 * 5 * 3 * 4f).reshape(2, 5, 3, 4);
			x.setRequiresGradient(true);
			try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
				final NDArray first = Convolutions.firstChannels(x, 3);
				assertEquals(new Shape(2, 3, 3, 4), first.getShape());
				assertArrayEquals(x.get(":, :3").toFloatArray(), first.toFloatArray());
				collector.backward(first.mul(2).sum());
			}
			final NDArray gradient = x.getGradient();
			assertArrayEquals(manager.full(new Shape(2, 3, 3, 4), 2f).toFloatArray(), gradient.get(":, :3").toFloatArray());
			assertArrayEquals(new float[2 * 2 * 3 * 4], gradient.get(":, 3:").toFloatArray());
		}
	}
	/** The About report says how inference lays out its convolutions, and the switch for measurements changes it. */
	@Test
	void theAboutReportNamesTheInferenceLayout() {
		assertNull(Convolutions.forcedInferenceLayout());
		assertTrue(EngineReport.lines().contains("Inference layout: " + Convolutions.inferenceLayout()));
		assertTrue(Convolutions.inferenceLayout().startsWith("measured per layer shape among NCHW, channels last"));
		try {
			Convolutions.useInferenceLayout(InferenceLayout.NCHW);
			assertTrue(EngineReport.lines().contains("Inference layout: NCHW wherever a layer may take it, else NCHW " +
				"(-Dkeypointj.inference_layout=nchw)"), EngineReport.lines().toString());
		}
		finally {
			Convolutions.useInferenceLayout(null);
		}
	}

	/**
	 * A call with oneDNN off switches it off for its duration only, also when calls overlap on several
	 * threads: the last to end switches it back on, and the path in use keeps its setting.
	 */
	@Test
	void oneDnnIsOffWhileACallNeedsItOffAndOnAgainAfter() throws Exception {
		assumeTrue(KeypointEngine.canSwitchOneDnnOff(), "this libtorch has no switch for oneDNN");
		final boolean onForThePath = KeypointEngine.oneDnnEnabled();
		final CountDownLatch bothInside = new CountDownLatch(2);
		final ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			final Future<Boolean> first = threads.submit(() -> KeypointEngine.withoutOneDnn(() -> {
				bothInside.countDown();
				await(bothInside);
				return KeypointEngine.oneDnnEnabled();
			}));
			final Future<Boolean> second = threads.submit(() -> KeypointEngine.withoutOneDnn(() -> {
				bothInside.countDown();
				await(bothInside);
				awaitEnd(first);
				return KeypointEngine.oneDnnEnabled(); // the first has ended, this one still runs
			}));
			assertFalse(first.get(30, TimeUnit.SECONDS));
			assertFalse(second.get(30, TimeUnit.SECONDS));
		}
		finally {
			threads.shutdownNow();
		}
		assertEquals(onForThePath, KeypointEngine.oneDnnEnabled());
	}

	private static void awaitEnd(final Future<?> call) {
		try {
			call.get(30, TimeUnit.SECONDS);
		}
		catch (final Exception e) {
			throw new AssertionError(e);
		}
	}

	private static void await(final CountDownLatch latch) {
		try {
			assertTrue(latch.await(30, TimeUnit.SECONDS));
		}
		catch (final InterruptedException e) {
			throw new AssertionError(e);
		}
	}

	/**
	 * A layer with a partly filled last group of 32 filters (a heatmap head of 68 keypoints; a user's 36,
	 * 80 or 100) convolves in NCHW, the others channels last; on oneDNN's path, in inference, each gives
	 * what NCHW with gradients on gives. On the Zen 5 machine of docs/ENGINE.md the channels-last kernel
	 * got the filters of such a partial group wrong.
	 */
	@Test
	void layersWithAPartialGroupOf32FiltersConvolveRightInInference() {
		assertTrue(Convolutions.channelsLastFilters(16) && Convolutions.channelsLastFilters(31) &&
			Convolutions.channelsLastFilters(64) && Convolutions.channelsLastFilters(128));
		assertTrue(!Convolutions.channelsLastFilters(36) && !Convolutions.channelsLastFilters(68) &&
			!Convolutions.channelsLastFilters(80) && !Convolutions.channelsLastFilters(100));
		final Random random = new Random(5);
		for (final int filters : new int[] { 36, 64, 68, 80, 100 }) {
			try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
				final NDArray x = manager.create(uniform(random, 2 * 64 * 24 * 24), new Shape(2, 64, 24, 24));
				final NDArray w = manager.create(uniform(random, filters * 64), new Shape(filters, 64, 1, 1));
				final NDArray b = manager.create(uniform(random, filters), new Shape(filters));
				final Shape one = new Shape(1, 1), none = new Shape(0, 0);
				final float[] inference = Convolutions.checkingOn(ConvolutionPath.ONEDNN, () -> Convolutions.forward(x, w,
					b, one, none).toFloatArray());
				final float[] nchw = Convolutions.plain(x, w, b, one, none).toFloatArray();
				for (int i = 0; i < nchw.length; i++) {
					assertEquals(nchw[i], inference[i], 1e-4, filters + " filters, value " + i);
				}
			}
		}
	}

	/**
	 * Training pads more than half a block of input channels to a whole one for the weight gradient where
	 * the batch has enough output positions (NoseNet's and FaceNet's second layers from a few samples up),
	 * never a layer of 8 channels or fewer, nor one of whole blocks.
	 */
	@Test
	void trainingPadsAPartlyFilledBlockWhereItPays() {
		final Shape one = new Shape(1, 1), none = new Shape(0, 0), noseConv2 = new Shape(24, 12, 5, 5);
		assertTrue(Convolutions.padsForWeightGradient(new Shape(32, 12, 28, 38), noseConv2, one, none));
		assertTrue(Convolutions.padsForWeightGradient(new Shape(4, 12, 28, 38), noseConv2, one, none));
		assertFalse(Convolutions.padsForWeightGradient(new Shape(2, 12, 28, 38), noseConv2, one, none));
		assertFalse(Convolutions.padsForWeightGradient(new Shape(1, 12, 28, 38), noseConv2, one, none));
		assertTrue(Convolutions.padsForWeightGradient(new Shape(1, 12, 58, 78), new Shape(32, 12, 5, 5), one, none));
		// stride 2 and padding 1: a quarter of the positions
		assertFalse(Convolutions.padsForWeightGradient(new Shape(4, 12, 28, 38), new Shape(32, 12, 3, 3), new Shape(2, 2),
			new Shape(1, 1)));
		for (final long channels : new long[] { 1, 3, 8, 16 }) {
			assertFalse(Convolutions.padsForWeightGradient(new Shape(32, channels, 28, 38), new Shape(32, channels, 5, 5),
				one, none), channels + " channels");
		}
	}

	private static float[] uniform(final Random random, final int count) {
		final float[] values = new float[count];
		for (int i = 0; i < count; i++) values[i] = random.nextFloat() - 0.5f;
		return values;
	}

	/**
	 * Inference convolves in the layouts measured fastest, training in PyTorch's NCHW. Every network, the
	 * object stage included, gives the same outputs (to float rounding) with each inference layout forced
	 * on every layer that may take it, and with each layer's measured one: the layout reaches through ReLU,
	 * pooling, BatchNorm, the residual additions, the top-down path's resizing and the heads. On the
	 * aligned path, whatever the start-up check chose here (a wrong layout makes it choose oneDNN off,
	 * where nothing would be compared), which is right on every CPU seen so far and ends in oneDNN's path.
	 */
	@Test
	void inferenceGivesWhatTheTrainingLayoutGivesForEveryNetwork() {
		final List<InferenceLayout> ways = new ArrayList<>(Arrays.asList(InferenceLayout.values()));
		if (!KeypointEngine.canSwitchOneDnnOff()) ways.remove(InferenceLayout.NATIVE);
		ways.add(null); // measured: enough calls that each layer tries every layout and keeps one
		try {
			for (final InferenceLayout layout : ways) {
				Convolutions.useInferenceLayout(layout);
				Convolutions.checkingOn(ConvolutionPath.ALIGNED, () -> {
					everyNetworkGivesTheSameOutputsInBothLayouts(layout == null ? 20 : 1);
					return null;
				});
			}
		}
		finally {
			Convolutions.useInferenceLayout(null);
		}
	}

	private static void everyNetworkGivesTheSameOutputsInBothLayouts(final int inferences) {
		final Random random = new Random(3);
		for (final Architecture architecture : Architecture.values()) {
			// the IMM networks at their own size (their unpadded convolutions need it), the others smaller
			final boolean gray = architecture.defaultChannels() == 1;
			final ModelDescription description = ModelDescription.of("layout", architecture, gray ? architecture
				.defaultWidth() : 72, gray ? architecture.defaultHeight() : 64, AnnotatedStack.numberedNames(3));
			try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
				final float[] input = new float[2 * model.inputSize()];
				for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
				assertSameOutputs(architecture.label(), model.djlModel().getNDManager(), model.block(), model.inputShape(2),
					input, inferences);
			}
		}
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final ai.djl.nn.Block objectNet = Networks.objectNet();
			final Shape shape = new Shape(1, 3, 96, 128);
			objectNet.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, shape);
			final float[] input = new float[Math.toIntExact(shape.size())];
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			assertSameOutputs("object stage", manager, objectNet, shape, input, inferences);
		}
	}

	/** Inference (gradients off), the last of {@code inferences} calls, against gradients on (NCHW). */
	private static void assertSameOutputs(final String network, final NDManager manager, final ai.djl.nn.Block block,
		final Shape shape, final float[] input, final int inferences)
	{
		for (int call = 1; call < inferences; call++) TestModels.outputs(manager, block, shape, input, true, false);
		TestModels.assertSameOutputs(network, "inference", TestModels.outputs(manager, block, shape, input, true, false),
			TestModels.outputs(manager, block, shape, input, false, false));
	}
}
