package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a keypoint model with DJL's Trainer: Adam, mean squared error on normalised coordinates,
 * samples shuffled every epoch with the seed. Each epoch is appended to the model's history.
 */
public final class KeypointTrainer {

	private KeypointTrainer() {}

	/**
	 * @param validation samples to measure after each epoch, or null
	 * @return the epochs trained (fewer than asked when cancelled)
	 */
	public static List<EpochRecord> train(final KeypointModel model, final Samples training, final Samples validation,
		final TrainingSettings settings, final Progress progress)
	{
		if (training.count() == 0) throw new KeypointException("There are no training samples.");
		final DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss("mse", 1))
			.optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build())
			.optDevices(new ai.djl.Device[] { model.device() });
		final List<EpochRecord> epochs = new ArrayList<>();
		final Random random = new Random(settings.seed());
		final int batches = (training.count() + settings.batchSize() - 1) / settings.batchSize();
		try (Trainer trainer = model.djlModel().newTrainer(config)) {
			trainer.initialize(model.inputShape(1));
			for (int epoch = 1; epoch <= settings.epochs() && !progress.isCanceled(); epoch++) {
				final long start = System.nanoTime();
				final int[] order = shuffled(training.count(), random);
				double lossSum = 0;
				int seen = 0;
				for (int b = 0; b < batches && !progress.isCanceled(); b++) {
					final int from = b * settings.batchSize();
					final int size = Math.min(settings.batchSize(), training.count() - from);
					lossSum += step(trainer, model, training, order, from, size) * size;
					seen += size;
					progress.report("Epoch " + epoch + "/" + settings.epochs(), (epoch - 1) * batches + b + 1,
						settings.epochs() * batches);
				}
				final double trainLoss = lossSum / Math.max(seen, 1);
				if (!Double.isFinite(trainLoss)) {
					throw new KeypointException("The training loss became " + trainLoss + " in epoch " + epoch +
						": the learning rate (" + settings.learningRate() + ") is probably too high.");
				}
				final double[] measured = validation == null ? new double[] { Double.NaN, Double.NaN }
					: ValidationMetrics.lossAndPixelError(model, validation);
				final EpochRecord record = new EpochRecord(epoch, trainLoss, measured[0], measured[1],
					(System.nanoTime() - start) / 1e9);
				epochs.add(record);
				model.description().history().add(record);
			}
		}
		return epochs;
	}

	private static double step(final Trainer trainer, final KeypointModel model, final Samples samples,
		final int[] order, final int from, final int size)
	{
		final float[] x = new float[size * samples.inputSize()];
		final float[] y = new float[size * samples.outputs()];
		for (int i = 0; i < size; i++) {
			final int index = order[from + i];
			System.arraycopy(samples.inputs(), index * samples.inputSize(), x, i * samples.inputSize(), samples.inputSize());
			System.arraycopy(samples.targets(), index * samples.outputs(), y, i * samples.outputs(), samples.outputs());
		}
		try (NDManager batch = trainer.getManager().newSubManager()) {
			final NDArray inputs = batch.create(x, model.inputShape(size));
			final NDArray targets = batch.create(y, new Shape(size, samples.outputs()));
			final float loss;
			try (GradientCollector collector = trainer.newGradientCollector()) {
				final NDList predictions = trainer.forward(new NDList(inputs));
				final NDArray value = trainer.getLoss().evaluate(new NDList(targets), predictions);
				collector.backward(value);
				loss = value.getFloat();
			}
			trainer.step();
			return loss;
		}
	}

	private static int[] shuffled(final int count, final Random random) {
		final int[] order = new int[count];
		for (int i = 0; i < count; i++) order[i] = i;
		for (int i = count - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
		return order;
	}
}
