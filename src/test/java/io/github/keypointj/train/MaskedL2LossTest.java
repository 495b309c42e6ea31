package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.keypointj.engine.KeypointEngine;

import org.junit.jupiter.api.Test;

/** Issue 27, case 4: the coordinate networks learn nothing from a missing keypoint. */
class MaskedL2LossTest {

	private static final float NAN = Float.NaN;

	@Test
	void aMissingKeypointsCoordinatesContributeNothing() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			// two samples of two keypoints; keypoint 2 of sample 1 is missing
			final NDArray predictions = manager.create(new float[] { 0.1f, 0.2f, 0.9f, 0.9f, 0.4f, 0.5f, 0.6f, 0.3f },
				new Shape(2, 4));
			predictions.setRequiresGradient(true);
			final NDArray labels = manager.create(new float[] { 0.3f, 0.1f, NAN, NAN, 0.4f, 0.7f, 0.2f, 0.3f },
				new Shape(2, 4));
			final float loss;
			try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
				final NDArray value = new MaskedL2Loss().evaluate(new NDList(labels), new NDList(predictions));
				collector.backward(value);
				loss = value.getFloat();
			}
			final double labelled = (0.2 * 0.2 + 0.1 * 0.1 + 0 + 0.2 * 0.2 + 0.4 * 0.4 + 0) / 6;
			assertEquals(labelled, loss, 1e-6, "the mean over the six labelled coordinates");
			final float[] gradient = predictions.getGradient().toFloatArray();
			for (final float g : gradient) assertEquals(true, Float.isFinite(g));
			assertArrayEquals(new float[] { 0, 0 }, new float[] { gradient[2], gradient[3] }, "no pull on the missing point");
			assertEquals(2 * (0.1 - 0.3) / 6, gradient[0], 1e-6);
		}
	}

	@Test
	void withoutMissingPointsItIsDjlsMeanSquaredErrorToTheBit() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final NDArray predictions = manager.randomUniform(0, 1, new Shape(5, 6));
			final NDArray labels = manager.randomUniform(0, 1, new Shape(5, 6));
			assertEquals(Loss.l2Loss("mse", 1).evaluate(new NDList(labels), new NDList(predictions)).getFloat(),
				new MaskedL2Loss().evaluate(new NDList(labels), new NDList(predictions)).getFloat(), 0);
		}
	}

	@Test
	void aBatchWithoutAnyLabelledPointCostsNothing() {
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final NDArray labels = manager.full(new Shape(1, 4), NAN);
			assertEquals(0f, new MaskedL2Loss().evaluate(new NDList(labels), new NDList(manager.ones(new Shape(1, 4))))
				.getFloat());
		}
	}
}
