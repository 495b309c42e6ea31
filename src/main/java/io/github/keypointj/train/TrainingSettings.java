package io.github.keypointj.train;

import io.github.keypointj.KeypointException;

/**
 * How a model is trained: Adam with a fixed learning rate on the mean squared error of the
 * normalised coordinates, as in the report.
 *
 * @param epochs passes over the training set
 * @param batchSize samples per optimiser step
 * @param learningRate Adam's learning rate
 * @param seed for the initial weights and the order of samples
 */
public record TrainingSettings(int epochs, int batchSize, float learningRate, long seed) {

	public TrainingSettings {
		if (epochs < 1) throw new KeypointException("epochs: must be at least 1, not " + epochs + ".");
		if (batchSize < 1) throw new KeypointException("batch_size: must be at least 1, not " + batchSize + ".");
		if (!(learningRate > 0) || Float.isInfinite(learningRate))
			throw new KeypointException("learning_rate: must be a positive number, not " + learningRate + ".");
	}
}
