package io.github.keypointj.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A keypoint's confidence is the probability within 4 input pixels of it, whatever the heatmaps' resolution. */
class ConfidenceTest {

	@Test
	void theNeighbourhoodIsFourInputPixelsAtAnyHeatmapResolution() {
		assertEquals(1, KeypointModel.confidenceRadius(32, 128), "HeatmapNet: a quarter of the input, 3x3 cells");
		assertEquals(2, KeypointModel.confidenceRadius(64, 128), "HeatmapNet-fine: half the input, 5x5 cells");
		assertEquals(1, KeypointModel.confidenceRadius(48, 192));
		assertEquals(2, KeypointModel.confidenceRadius(96, 192));
		assertEquals(1, KeypointModel.confidenceRadius(8, 128), "at least the point's own cell and its neighbours");
	}

	/**
	 * Probability spread evenly over a 4 input pixel square around the point: all of it counts at a quarter
	 * of the input (one cell) and at half (2x2 cells), so both resolutions give the same confidence.
	 */
	@Test
	void theSameSpreadGivesTheSameConfidenceAtBothResolutions() {
		final int input = 128;
		final float x = 0.5f + 1.5f / input, y = 0.5f + 1.5f / input; // inside input pixel (65, 65)
		for (final int side : new int[] { 32, 64 }) {
			final float[] log = new float[side * side];
			Arrays.fill(log, Float.NEGATIVE_INFINITY);
			final int cells = side / 32; // cells across 4 input pixels
			for (int r = 0; r < cells; r++) {
				for (int c = 0; c < cells; c++) log[(side / 2 + r) * side + side / 2 + c] = (float) Math.log(1.0 / (cells * cells));
			}
			final float near = KeypointModel.massNear(log, 0, side, side, x, y, KeypointModel.confidenceRadius(side, input));
			assertEquals(1f, near, 1e-6, side + " cells");
		}
		// And a map spread evenly over every cell: (2r + 1)^2 cells' share, 9/1024 at a quarter, 25/4096 at half.
		for (final int side : new int[] { 32, 64 }) {
			final float[] log = new float[side * side];
			Arrays.fill(log, (float) Math.log(1.0 / (side * side)));
			final int radius = KeypointModel.confidenceRadius(side, input);
			assertEquals((2 * radius + 1) * (2 * radius + 1) / (double) (side * side), KeypointModel.massNear(log, 0, side,
				side, 0.5f, 0.5f, radius), 1e-6);
		}
	}
}
