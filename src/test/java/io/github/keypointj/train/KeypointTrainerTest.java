package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeypointTrainerTest {

	private static final ModelDescription SPOTS = new ModelDescription("spots", Architecture.NOSE_NET, 48, 36, 1,
		io.github.keypointj.model.Normalization.centered(1), SyntheticSpots.NAMES,
		io.github.keypointj.model.CropRecipe.wholeRegion());

	@Test
	void aShortTrainingBeatsTheMeanShapeByFar() {
		final Samples training = samples(400, 1);
		final Samples validation = samples(40, 2);
		final List<EpochRecord> epochs = train(training, validation, new TrainingSettings(10, 8, 2e-3f, 3));
		final double baseline = meanShapeError(training, validation);
		final double error = epochs.get(epochs.size() - 1).validationErrorPx();
		assertTrue(error < baseline / 2, "validation error " + error + " px, mean-shape baseline " + baseline + " px");
	}

	@Test
	void theSameSeedGivesTheSameLossCurve() {
		final Samples training = samples(48, 1);
		final TrainingSettings settings = new TrainingSettings(2, 4, 1e-3f, 11);
		final double[] first = train(training, null, settings).stream().mapToDouble(EpochRecord::trainLoss).toArray();
		final double[] second = train(training, null, settings).stream().mapToDouble(EpochRecord::trainLoss).toArray();
		assertArrayEquals(first, second);
	}

	@Test
	void aLearningRateThatMakesTheLossExplodeIsNamed() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> train(samples(32, 1), null, new TrainingSettings(3, 4, 1e12f, 1)));
		assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
	}

	@Test
	void cancelStopsAfterTheCurrentBatch() {
		final int[] steps = new int[1];
		final Progress cancelAfterThree = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {
				steps[0]++;
			}

			@Override
			public boolean isCanceled() {
				return steps[0] >= 3;
			}
		};
		try (KeypointModel model = KeypointModel.create(SPOTS, Device.cpu())) {
			final List<EpochRecord> epochs = KeypointTrainer.train(model, samples(40, 1), null,
				new TrainingSettings(5, 4, 1e-3f, 1), cancelAfterThree);
			assertEquals(3, steps[0]);
			assertEquals(1, epochs.size(), "the epoch under way is recorded");
		}
	}

	@Test
	void badSettingsAreNamed() {
		assertEquals("batch_size: must be at least 1, not 0.",
			assertThrows(KeypointException.class, () -> new TrainingSettings(1, 0, 1e-3f, 1)).getMessage());
		assertEquals("epochs: must be at least 1, not 0.",
			assertThrows(KeypointException.class, () -> new TrainingSettings(0, 1, 1e-3f, 1)).getMessage());
		assertThrows(KeypointException.class, () -> new TrainingSettings(1, 1, Float.NaN, 1));
	}

	private static List<EpochRecord> train(final Samples training, final Samples validation,
		final TrainingSettings settings)
	{
		KeypointEngine.get().setRandomSeed((int) settings.seed());
		try (KeypointModel model = KeypointModel.create(SPOTS, Device.cpu())) {
			return KeypointTrainer.train(model, training, validation, settings, Progress.NONE);
		}
	}

	private static Samples samples(final int count, final long seed) {
		final SyntheticSpots.Data data = SyntheticSpots.generate(count, 48, 36, seed);
		return SampleBuilder.build(data.image(), data.truth(), SPOTS);
	}

	/** Mean point error, in input pixels, of always predicting the training set's mean shape. */
	private static double meanShapeError(final Samples training, final Samples validation) {
		final double[] mean = new double[training.outputs()];
		for (int i = 0; i < training.count(); i++) {
			for (int k = 0; k < training.outputs(); k++) mean[k] += training.targets()[i * training.outputs() + k] / training.count();
		}
		double sum = 0;
		for (int i = 0; i < validation.count(); i++) {
			for (int k = 0; k < validation.outputs(); k += 2) {
				sum += Math.hypot((validation.targets()[i * validation.outputs() + k] - mean[k]) * 48,
					(validation.targets()[i * validation.outputs() + k + 1] - mean[k + 1]) * 36);
			}
		}
		return sum / (validation.count() * validation.outputs() / 2.0);
	}
}
