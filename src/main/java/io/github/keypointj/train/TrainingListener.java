package io.github.keypointj.train;

import io.github.keypointj.model.EpochRecord;

/** What a training run tells whoever watches it (a plot, the log, a status bar). */
public interface TrainingListener {

	TrainingListener NONE = new TrainingListener() {};

	/** After each batch; {@code imagesPerSecond} over the epoch so far. */
	default void batchDone(final int epoch, final int batch, final int batches, final double loss,
		final double imagesPerSecond, final double secondsLeft)
	{}

	/** After each epoch; {@code best} when this epoch's model is the new best and was saved. */
	default void epochDone(final EpochRecord record, final boolean best) {}

	/** A line worth logging (resume, settings, why it stopped). */
	default void message(final String text) {}
}
