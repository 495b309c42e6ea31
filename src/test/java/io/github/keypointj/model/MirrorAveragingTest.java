package io.github.keypointj.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.InferenceLayout;
import io.github.keypointj.nets.Architecture;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Test-time mirroring: a model that averages with the mirror image predicts the mean of the network's
 * points on the input and, swapped back, on its mirror; so its predictions are exactly mirror symmetric,
 * which the network alone (random weights here) is not.
 */
class MirrorAveragingTest {

	private static final int SIDE = 32;
	/** Points 0 and 1 are a left/right pair, 2 and 3 lie on the axis. */
	private static final MirrorOrder PAIRS = new MirrorOrder(new int[] { 1, 0, 2, 3 });

	@Test
	void theAverageIsTheMeanOfBothViewsAndMirrorSymmetric() {
		// One way to convolve for every call: a layer's first calls try several, whose results differ by 1e-6.
		Convolutions.useInferenceLayout(InferenceLayout.NCHW);
		try {
			averageOfBothViews();
		}
		finally {
			Convolutions.useInferenceLayout(null);
		}
	}

	private static void averageOfBothViews() {
		final ModelDescription description = ModelDescription.of("mirror", Architecture.HEATMAP_NET, SIDE, SIDE,
			List.of("left", "right", "nose", "chin"));
		description.setMirror(PAIRS);
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[2 * model.inputSize()];
			final Random random = new Random(7);
			for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();
			final float[] mirrored = mirror(input, 2, 3);

			final KeypointModel.Inference plain = model.infer(input, 2);
			final KeypointModel.Inference plainOfMirror = model.infer(mirrored, 2);
			description.setAverageWithMirror(true);
			final KeypointModel.Inference averaged = model.infer(input, 2);
			final KeypointModel.Inference averagedOfMirror = model.infer(mirrored, 2);

			double asymmetry = 0;
			for (int b = 0; b < 2; b++) {
				for (int k = 0; k < 4; k++) {
					final int m = PAIRS.mirrorOf(k);
					assertEquals((plain.points()[b][2 * k] + 1 - plainOfMirror.points()[b][2 * m]) / 2,
						averaged.points()[b][2 * k], 1e-6, "x of point " + k);
					assertEquals((plain.points()[b][2 * k + 1] + plainOfMirror.points()[b][2 * m + 1]) / 2,
						averaged.points()[b][2 * k + 1], 1e-6, "y of point " + k);
					assertEquals(1 - averaged.points()[b][2 * k], averagedOfMirror.points()[b][2 * m], 1e-6);
					assertEquals(averaged.points()[b][2 * k + 1], averagedOfMirror.points()[b][2 * m + 1], 1e-6);
					assertEquals(averaged.confidence()[b][k], averagedOfMirror.confidence()[b][m], 1e-5);
					asymmetry += Math.abs(1 - plain.points()[b][2 * k] - plainOfMirror.points()[b][2 * m]);
				}
			}
			assertTrue(asymmetry > 1e-3, "the network alone is not symmetric: " + asymmetry);
		}
	}

	/**
	 * With annotations right of mirror symmetry, the mirror image's points, reversed, move right by twice
	 * the offset (as in training), so that both views agree where the annotations would put the points.
	 */
	@Test
	void theAverageKeepsTheAnnotationsOffsetFromMirrorSymmetry() {
		Convolutions.useInferenceLayout(InferenceLayout.NCHW);
		final ModelDescription description = ModelDescription.of("offset", Architecture.HEATMAP_NET, SIDE, SIDE,
			List.of("left", "right", "nose", "chin"));
		description.setMirror(PAIRS);
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[model.inputSize()];
			final Random random = new Random(9);
			for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();
			final float[] mirrored = mirror(input, 1, 3);
			final KeypointModel.Inference plain = model.infer(input, 1);
			final KeypointModel.Inference plainOfMirror = model.infer(mirrored, 1);
			description.setAverageWithMirror(true);
			description.setMirrorOffset(0.01);
			// HeatmapNet crops 1.4 boxes wide: the shift is 2 x 0.01 / 1.4 of the input
			assertEquals(0.02 / 1.4, description.mirrorShift(), 1e-12);
			final KeypointModel.Inference averaged = model.infer(input, 1);
			final KeypointModel.Inference averagedOfMirror = model.infer(mirrored, 1);
			// 1e-5: the averaged calls run batches of 2, the plain ones of 1, and the batch sizes' kernels differ in
			// the last bits (1.2e-6 once)
			for (int k = 0; k < 4; k++) {
				final int m = PAIRS.mirrorOf(k);
				assertEquals((plain.points()[0][2 * k] + 1 - plainOfMirror.points()[0][2 * m] + 0.02 / 1.4) / 2,
					averaged.points()[0][2 * k], 1e-5, "x of point " + k);
				assertEquals(1 + 0.02 / 1.4, averaged.points()[0][2 * k] + averagedOfMirror.points()[0][2 * m], 1e-5,
					"the two views of point " + k + " are mirror images about the annotations' axis");
			}
		}
		finally {
			Convolutions.useInferenceLayout(null);
		}
	}

	@Test
	void onlyModelsWithAMirrorOrderAverage() {
		final ModelDescription description = ModelDescription.of("none", Architecture.HEATMAP_NET, SIDE, SIDE,
			List.of("a", "b", "c", "d"));
		description.setMirror(null);
		description.setAverageWithMirror(true);
		assertEquals(false, description.averagesWithMirror(), "a set with no pairs is never mirrored");
		description.setMirror(PAIRS);
		assertEquals(true, description.averagesWithMirror());
	}

	/** Each row of {@code planes} planes of {@code batch} inputs reversed. */
	private static float[] mirror(final float[] inputs, final int batch, final int planes) {
		final float[] out = new float[inputs.length];
		for (int row = 0; row < batch * planes * SIDE; row++) {
			for (int column = 0; column < SIDE; column++) out[row * SIDE + column] = inputs[row * SIDE + SIDE - 1 - column];
		}
		return out;
	}
}
