package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.nets.Networks;

import java.util.Random;

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

	/** The About report says which layout inference uses, and the switch for measurements changes it. */
	@Test
	void theAboutReportNamesTheInferenceLayout() {
		assertTrue(Convolutions.channelsLastInference());
		assertTrue(EngineReport.lines().contains("Inference layout: " + Convolutions.inferenceLayout()));
		assertTrue(Convolutions.inferenceLayout().startsWith("channels last in layers of at most 64"));
		try {
			Convolutions.useChannelsLastInference(false);
			assertTrue(EngineReport.lines().contains("Inference layout: NCHW throughout (-Dkeypointj.channels_last=false)"));
		}
		finally {
			Convolutions.useChannelsLastInference(true);
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

	private static float[] uniform(final Random random, final int count) {
		final float[] values = new float[count];
		for (int i = 0; i < count; i++) values[i] = random.nextFloat() - 0.5f;
		return values;
	}

	/**
	 * Inference convolves channels last on oneDNN; training in PyTorch's NCHW. Every network, the object
	 * stage included, gives the same outputs both ways (to float rounding): the layout reaches through
	 * ReLU, pooling, BatchNorm, the residual additions, the top-down path's resizing and the heads. On the
	 * aligned path, whatever the start-up check chose here (a wrong layout makes it choose oneDNN off,
	 * where nothing would be compared), which is right on every CPU seen so far and ends in oneDNN's path.
	 */
	@Test
	void inferenceGivesWhatTheTrainingLayoutGivesForEveryNetwork() {
		Convolutions.checkingOn(ConvolutionPath.ALIGNED, () -> {
			everyNetworkGivesTheSameOutputsInBothLayouts();
			return null;
		});
	}

	private static void everyNetworkGivesTheSameOutputsInBothLayouts() {
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
					input);
			}
		}
		try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
			final ai.djl.nn.Block objectNet = Networks.objectNet();
			final Shape shape = new Shape(1, 3, 96, 128);
			objectNet.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, shape);
			final float[] input = new float[Math.toIntExact(shape.size())];
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			assertSameOutputs("object stage", manager, objectNet, shape, input);
		}
	}

	/** Inference (gradients off: channels last) against gradients on (NCHW). */
	private static void assertSameOutputs(final String network, final NDManager manager, final ai.djl.nn.Block block,
		final Shape shape, final float[] input)
	{
		TestModels.assertSameOutputs(network, "inference", TestModels.outputs(manager, block, shape, input, true, false),
			TestModels.outputs(manager, block, shape, input, false, false));
	}
}
