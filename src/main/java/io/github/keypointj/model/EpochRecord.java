package io.github.keypointj.model;

/**
 * One epoch of a model's training history.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss
 * @param validationLoss mean validation loss (NaN without validation)
 * @param validationErrorPx mean point error on the validation planes, in network-input pixels
 * @param seconds wall time of the epoch
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationErrorPx,
	double seconds)
{}
