package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.nets.SoftArgmax;

import org.junit.jupiter.api.Test;

class HeatmapLossTest {

	private static final int SIDE = 16;

	/** The loss of one heatmap (1, 1, 16, 16) with the given logits against a target at (x, y) in cells. */
	private static float loss(final NDManager manager, final float[] logits, final double x, final double y) {
		return loss(manager, logits, x, y, CoordinateLoss.L1);
	}

	private static float loss(final NDManager manager, final float[] logits, final double x, final double y,
		final CoordinateLoss distances)
	{
		final NDList predictions = new SoftArgmax().forward(new ParameterStore(manager, false),
			new NDList(manager.create(logits, new Shape(1, 1, SIDE, SIDE))), false);
		final NDArray target = manager.create(new float[] { (float) (x / SIDE), (float) (y / SIDE) }, new Shape(1, 2));
		return new HeatmapLoss(distances).evaluate(new NDList(target), predictions).getFloat();
	}

	/** Logits of a Gaussian of one cell around (x, y) in cells: what the cross-entropy asks the network for. */
	private static float[] gaussianAround(final double x, final double y) {
		final float[] logits = new float[SIDE * SIDE];
		for (int row = 0; row < SIDE; row++) {
			for (int column = 0; column < SIDE; column++) {
				final double dx = column + 0.5 - x, dy = row + 0.5 - y;
				logits[row * SIDE + column] = (float) (-(dx * dx + dy * dy) / 2);
			}
		}
		return logits;
	}

	@Test
	void theGaussianOnTheTargetCostsLessThanOneBesideItOrAFlatMap() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final double x = 7.3, y = 9.6;
			final float onTarget = loss(manager, gaussianAround(x, y), x, y);
			assertTrue(onTarget < loss(manager, gaussianAround(x + 1, y), x, y), "one cell off");
			assertTrue(onTarget < loss(manager, gaussianAround(x, y - 0.5), x, y), "half a cell off");
			assertTrue(onTarget < loss(manager, new float[SIDE * SIDE], x, y), "flat");
			final float[] sharp = new float[SIDE * SIDE];
			sharp[9 * SIDE + 7] = 30;
			assertTrue(onTarget < loss(manager, sharp, x, y), "a needle in the right cell: too sure of it");
		}
	}

	@Test
	void theCoordinateTermIsTheL1DistanceInCells() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			// A flat map: its expectation is the middle (8, 8), and its cross-entropy log(256) is the same for
			// any target well inside. Targets 2 and 4 cells right of the middle: the L1 term, a mean over x and
			// y, grows from 1 to 2.
			final float[] flat = new float[SIDE * SIDE];
			final float two = loss(manager, flat, 10, 8);
			final float four = loss(manager, flat, 12, 8);
			assertEquals(1.0, four - two, 1e-4);
			assertEquals(1.0 + Math.log(SIDE * SIDE), two, 1e-3, "L1 plus the cross-entropy of a flat map");
		}
	}

	/**
	 * Wing replaces the L1 term alone: w ln(1 + d / epsilon) below w = 10 cells, d - C beyond (C makes the
	 * two meet at w), the cross-entropy as it was. A flat map's expectation is the middle (8, 8); targets d
	 * cells right of it, so the term is the mean of wing(d) and wing(0) = 0.
	 */
	@Test
	void wingReplacesTheCoordinateTermLogarithmicNearAndLinearFar() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final float[] flat = new float[SIDE * SIDE];
			final double c = 10 - 10 * Math.log(1 + 10 / 2.0);
			for (final double d : new double[] { 0.5, 2, 9.5, 10.5, 14 }) {
				final double wing = d < 10 ? 10 * Math.log(1 + d / 2) : d - c;
				final float difference = loss(manager, flat, 8 + d, 8, CoordinateLoss.WING) - loss(manager, flat, 8 + d, 8);
				assertEquals((wing - d) / 2, difference, 2e-3, "d = " + d + " cells");
			}
			assertEquals(10 * Math.log(6), 10 - c, 1e-9, "the two parts meet at w");
		}
	}

	@Test
	void aLossIsNamedByItsLabelAndAnUnknownOneListsTheChoices() {
		assertEquals(CoordinateLoss.WING, CoordinateLoss.fromLabel(" Wing"));
		assertEquals(CoordinateLoss.L1, CoordinateLoss.fromLabel("l1"));
		final io.github.keypointj.KeypointException unknown = org.junit.jupiter.api.Assertions.assertThrows(
			io.github.keypointj.KeypointException.class, () -> CoordinateLoss.fromLabel("adaptive wing"));
		assertEquals("loss=adaptive wing is not a loss KeypointJ knows; give one of L1, wing.", unknown.getMessage());
	}

	@Test
	void aTargetFarOutsideTheInputGivesAFiniteLossAndGradient() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final NDArray logits = manager.randomNormal(new Shape(2, 3, 8, 8));
			logits.setRequiresGradient(true);
			try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
				final NDList predictions = new SoftArgmax().forward(new ParameterStore(manager, false), new NDList(logits), true);
				final NDArray targets = manager.create(new float[] { 0.5f, 0.5f, 3f, -2f, 0.1f, 0.9f, 40f, 40f, -9f, 0f, 0f, 1f },
					new Shape(2, 6));
				final NDArray value = new HeatmapLoss().evaluate(new NDList(targets), predictions);
				collector.backward(value);
				assertTrue(Float.isFinite(value.getFloat()));
			}
			for (final float g : logits.getGradient().toFloatArray()) assertTrue(Float.isFinite(g));
		}
	}

	/**
	 * Issue 27, case 4: a missing keypoint (NaN target) weighs nothing: the loss is that of the labelled
	 * keypoint's map alone, and the missing one's map gets no gradient.
	 */
	@Test
	void aMissingKeypointsMapContributesNothing() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final double x = 7.3, y = 9.6;
			final float[] logits = new float[2 * SIDE * SIDE];
			System.arraycopy(gaussianAround(x + 1, y), 0, logits, 0, SIDE * SIDE);
			final NDArray maps = manager.create(logits, new Shape(1, 2, SIDE, SIDE));
			maps.setRequiresGradient(true);
			final float value;
			try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
				final NDList predictions = new SoftArgmax().forward(new ParameterStore(manager, false), new NDList(maps), true);
				final NDArray targets = manager.create(new float[] { (float) (x / SIDE), (float) (y / SIDE), Float.NaN,
					Float.NaN }, new Shape(1, 4));
				final NDArray loss = new HeatmapLoss().evaluate(new NDList(targets), predictions);
				collector.backward(loss);
				value = loss.getFloat();
			}
			assertEquals(loss(manager, gaussianAround(x + 1, y), x, y), value, 1e-5);
			final float[] gradient = maps.getGradient().toFloatArray();
			for (final float g : gradient) assertTrue(Float.isFinite(g));
			for (int i = SIDE * SIDE; i < gradient.length; i++) assertEquals(0f, gradient[i], "the missing keypoint's map");
		}
	}
}
