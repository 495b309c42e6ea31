package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.LibUtils;
import io.github.keypointj.KeypointException;
import io.github.keypointj.nets.Architecture;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvolutionCheckTest {

	/** Shapes with channel counts that fill no whole 16-channel block, strided and padded. */
	private static final List<ConvolutionShape> ODD_SHAPES = List.of(
		new ConvolutionShape("few input channels", 3, 20, 24, 12, 5, 1, 0, false),
		new ConvolutionShape("partly filled blocks", 20, 13, 17, 24, 3, 2, 1, true),
		new ConvolutionShape("one by one", 40, 9, 11, 33, 1, 1, 0, true));

	/**
	 * What the networks compute on this machine is right, layer by layer and in a training step: on a
	 * machine where the engine computes wrong convolutions and KeypointJ did not route around them,
	 * this fails (as it did on AMD Zen 5 with oneDNN as PyTorch 2.5.1 uses it).
	 */
	@Test
	void theNetworksConvolutionsAreRightOnThisMachine() {
		final ConvolutionChoice choice = KeypointEngine.convolutions();
		assertTrue(choice.verified(), choice.describe());
		final ConvolutionCheck.Result result = ConvolutionCheck.run(Architecture.allConvolutionShapes(),
			Architecture.checkSteps(), Convolutions::forward);
		assertTrue(result.passed(), Convolutions.active() + ": " + result.failures());
		assertEquals(Architecture.allConvolutionShapes().stream().map(ConvolutionShape::unnamed).distinct().count(),
			result.shapes());
		assertEquals(2, result.steps());
	}

	/** Faults are simulated on top of the convolutions this machine computes right. */
	@BeforeAll
	static void chooseARightPath() {
		Architecture.verifyConvolutions();
	}

	@Test
	void aWrongChannelBlockIsCaught() {
		final ConvolutionShape third = Architecture.NOSE_NET.convolutionShapes(1, 60, 80, 1).get(2);
		final ConvolutionCheck.Result result = ConvolutionCheck.run(List.of(third), List.of(),
			(x, w, b, stride, padding) -> {
				final NDArray y = Convolutions.forward(x, w, b, stride, padding);
				y.set(new NDIndex(":, 16:"), array -> array.add(0.25f));
				return y;
			});
		assertEquals(3, result.failures().size(), result.failures().toString());
		assertTrue(result.failures().get(0).startsWith("NoseNet conv 3 (ic24 oc32 ih12 iw17 k5 s1 p0) inference: 64 of " +
			"128 checked values wrong"), result.failures().get(0));
		assertTrue(result.failures().get(1).startsWith("NoseNet conv 3 (ic24 oc32 ih12 iw17 k5 s1 p0) inference (channels " +
			"last): 64 of 128 checked values wrong"), result.failures().get(1));
		assertTrue(result.failures().get(2).startsWith("NoseNet conv 3 (ic24 oc32 ih12 iw17 k5 s1 p0) forward: 64 of " +
			"128 checked values wrong"), result.failures().get(2));
	}

	/**
	 * Inference may take either of oneDNN's layouts in each layer (whichever measures faster), so the
	 * check runs both: a kernel wrong in channels last alone is caught and named.
	 */
	@Test
	void aWrongChannelsLastKernelIsCaught() {
		final ConvolutionShape second = Architecture.NOSE_NET.convolutionShapes(1, 60, 80, 1).get(1);
		final ConvolutionCheck.Result result = ConvolutionCheck.run(List.of(second), List.of(),
			(x, w, b, stride, padding) -> {
				final NDArray y = Convolutions.forward(x, w, b, stride, padding);
				if (Convolutions.layoutUnderCheck() == InferenceLayout.CHANNELS_LAST) y.set(new NDIndex(":, 0"), 0f);
				return y;
			});
		assertEquals(1, result.failures().size(), result.failures().toString());
		assertTrue(result.failures().get(0).startsWith("NoseNet conv 2 (ic12 oc24 ih28 iw38 k5 s1 p0) inference (channels " +
			"last):"), result.failures().get(0));
		// a layer of more than 64 channels never convolves channels last: nothing to check there
		final ConvolutionShape wide = Architecture.FACE_NET.convolutionShapes(1, 120, 160, 58).get(4);
		assertEquals(128, wide.inChannels());
		assertEquals(List.of(InferenceLayout.NCHW), Convolutions.checkedLayouts(wide.inChannels(), wide.filters()));
	}

	/**
	 * What oneDNN's channels-last kernel did on Zen 5 to a 68-filter convolution of 64 channels, the fine
	 * heatmap network's last layer for 68 points: filters 64-67 wrong. The check of a model runs that
	 * layer with the model's filter count; with one keypoint, as it was built before, it saw nothing.
	 */
	@Test
	void aModelsLastConvolutionIsCheckedWithAFilterPerKeypoint() {
		final Convolutions.Convolution tailFiltersWrong = (x, w, b, stride, padding) -> {
			final NDArray y = Convolutions.forward(x, w, b, stride, padding);
			if (y.getShape().get(1) > 64) y.set(new NDIndex(":, 64:"), array -> array.add(0.25f));
			return y;
		};
		final List<ConvolutionShape> shapes = Architecture.FINE_HEATMAP_NET.convolutionShapes(3, 128, 128, 68);
		final ConvolutionShape head = shapes.get(shapes.size() - 1);
		assertEquals(68, head.filters());
		final ConvolutionCheck.Result result = ConvolutionCheck.run(List.of(head), List.of(), tailFiltersWrong);
		assertTrue(result.failures().get(0).startsWith("HeatmapNet-fine conv 31 (ic64 oc68 ih64 iw64 k1 s1 p0) inference"),
			result.failures().toString());
		final List<ConvolutionShape> oneKeypoint = Architecture.FINE_HEATMAP_NET.convolutionShapes(3, 128, 128, 1);
		assertTrue(ConvolutionCheck.run(List.of(oneKeypoint.get(oneKeypoint.size() - 1)), List.of(), tailFiltersWrong)
			.failures().isEmpty());
	}

	/** Right values and wrong gradients: what a faulty backward kernel gives. */
	@Test
	void wrongGradientsAreCaught() {
		final ConvolutionCheck.Result result = ConvolutionCheck.run(ODD_SHAPES.subList(1, 2), List.of(),
			(x, w, b, stride, padding) -> {
				final NDArray y = Convolutions.forward(x, w, b, stride, padding);
				final NDArray extra = Convolutions.forward(x, w.mul(0.5f), null, stride, padding);
				return y.add(extra.sub(extra.stopGradient()));
			});
		final String failures = String.join("\n", result.failures());
		assertTrue(failures.contains("weight gradient") && failures.contains("input gradient"), failures);
		assertFalse(failures.contains("inference") || failures.contains("forward") || failures.contains("bias gradient"),
			failures);
	}

	/** A layer that adds memory nothing wrote (torch.empty): its gradients depend on what ran before. */
	@Test
	void readingMemoryNothingWroteIsCaughtInTheTrainingStep() {
		final Shape input = new Shape(1, 16, 64, 64);
		final ConvolutionCheck.NetworkStep step = new ConvolutionCheck.NetworkStep("careless", input, manager -> {
			final SequentialBlock network = new SequentialBlock()
				.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().add(x.singletonOrThrow().getManager()
					.create(input)))))
				.add(Linear.builder().setUnits(2).build());
			network.initialize(manager, DataType.FLOAT32, input);
			return network;
		});
		final ConvolutionCheck.Result result = ConvolutionCheck.run(List.of(), List.of(step), Convolutions::forward);
		assertFalse(result.passed());
		assertTrue(result.failures().get(0).contains("reads memory it did not write"), result.failures().get(0));
	}

	/**
	 * The aligned formulation has the plain convolution's values and gradients: checked with oneDNN off,
	 * so that it holds whatever oneDNN computes on this machine.
	 */
	@Test
	void alignedChannelsGiveThePlainConvolution() {
		KeypointEngine.get();
		final OneDnnSwitch oneDnn = OneDnnSwitch.find(LibUtils.getLibtorchPath());
		final boolean before = oneDnn.isEnabled();
		try {
			oneDnn.setEnabled(false);
			final List<ConvolutionShape> shapes = new ArrayList<>(ODD_SHAPES);
			// 12 channels, 3,136 output positions: padded to a whole block for the weight gradient
			shapes.add(new ConvolutionShape("padded for the weight gradient", 12, 60, 60, 24, 5, 1, 0, true));
			assertTrue(Convolutions.padsForWeightGradient(new Shape(1, 12, 60, 60), new Shape(24, 12, 5, 5), new Shape(1, 1),
				new Shape(0, 0)));
			final ConvolutionCheck.Result result = ConvolutionCheck.run(shapes, List.of(),
				(x, w, b, stride, padding) -> Convolutions.aligned(x, w, b, stride, padding, Convolutions::plain));
			assertTrue(result.passed(), result.failures().toString());
		}
		finally {
			oneDnn.setEnabled(before);
		}
		assertEquals(before, oneDnn.isEnabled());
	}

	/** A seeded training draws the same weights whether or not the check ran just before it. */
	@Test
	void theCheckLeavesPyTorchsRandomNumbersAlone() {
		final Engine engine = KeypointEngine.get();
		try (NDManager manager = NDManager.newBaseManager()) {
			engine.setRandomSeed(7);
			final float[] expected = manager.randomUniform(0, 1, new Shape(5)).toFloatArray();
			engine.setRandomSeed(7);
			ConvolutionCheck.run(ODD_SHAPES, Architecture.checkSteps(), Convolutions::forward);
			assertArrayEquals(expected, manager.randomUniform(0, 1, new Shape(5)).toFloatArray());
		}
	}

	@Test
	void aMisspelledPathNamesTheProperty() {
		assertEquals(ConvolutionPath.NATIVE, ConvolutionPath.parseForced(" Native ", KeypointEngine.CONVOLUTIONS_PROPERTY));
		assertEquals(null, ConvolutionPath.parseForced("auto", KeypointEngine.CONVOLUTIONS_PROPERTY));
		final KeypointException e = assertThrows(KeypointException.class,
			() -> ConvolutionPath.parseForced("fast", KeypointEngine.CONVOLUTIONS_PROPERTY));
		assertEquals("keypointj.convolutions: 'fast' is not one of auto, onednn, aligned, native.", e.getMessage());
	}
}
