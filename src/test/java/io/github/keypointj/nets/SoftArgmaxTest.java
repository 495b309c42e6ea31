package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.keypointj.engine.KeypointEngine;

import org.junit.jupiter.api.Test;

class SoftArgmaxTest {

	/** Heatmaps (1, 2, 4, 6): keypoint 0 peaks sharply in row 1, column 4; keypoint 1 is flat. */
	@Test
	void aPeakGivesItsCellCentreAndAFlatMapTheMiddle() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final float[] logits = new float[2 * 4 * 6];
			logits[1 * 6 + 4] = 50; // exp(50) outweighs the other 23 cells' exp(0) by 1e20
			final NDList out = new SoftArgmax().forward(new ParameterStore(manager, false),
				new NDList(manager.create(logits, new Shape(1, 2, 4, 6))), false);
			final float[] coordinates = out.get(0).toFloatArray();
			assertEquals((4 + 0.5) / 6, coordinates[0], 1e-6, "x of the peak's cell centre, as a fraction of the width");
			assertEquals((1 + 0.5) / 4, coordinates[1], 1e-6, "y");
			assertEquals(0.5, coordinates[2], 1e-6, "a flat map's expectation is the middle");
			assertEquals(0.5, coordinates[3], 1e-6);
			final NDArray probabilities = out.get(1).exp();
			assertEquals(new Shape(1, 2, 4, 6), probabilities.getShape());
			assertEquals(1, probabilities.get(0, 1).sum().getFloat(), 1e-5, "each map is a distribution");
			assertEquals(1.0 / 24, probabilities.get(0, 1, 2, 3).getFloat(), 1e-6);
		}
	}

	@Test
	void aDistributionBetweenTwoCellsGivesTheirMean() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final float[] logits = new float[8 * 8];
			java.util.Arrays.fill(logits, -100);
			logits[2 * 8 + 1] = 0; // row 2, column 1
			logits[6 * 8 + 5] = 0; // row 6, column 5: equal weight
			final float[] coordinates = new SoftArgmax().forward(new ParameterStore(manager, false),
				new NDList(manager.create(logits, new Shape(1, 1, 8, 8))), false).get(0).toFloatArray();
			assertEquals((3 + 0.5) / 8, coordinates[0], 1e-6, "sub-cell positions come from the weights");
			assertEquals((4 + 0.5) / 8, coordinates[1], 1e-6);
		}
	}
}
