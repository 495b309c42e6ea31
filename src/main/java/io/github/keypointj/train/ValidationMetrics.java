package io.github.keypointj.train;

import io.github.keypointj.model.KeypointModel;

/** Loss and point error of a model on samples, in inference mode. */
public final class ValidationMetrics {

	private static final int BATCH = 16;

	private ValidationMetrics() {}

	/**
	 * @return the mean squared error of the normalised coordinates, and the mean Euclidean point error
	 *         in network-input pixels
	 */
	public static double[] lossAndPixelError(final KeypointModel model, final Samples samples) {
		final int width = model.description().inputWidth();
		final int height = model.description().inputHeight();
		double squared = 0;
		double distance = 0;
		final float[] batch = new float[BATCH * samples.inputSize()];
		for (int first = 0; first < samples.count(); first += BATCH) {
			final int size = Math.min(BATCH, samples.count() - first);
			System.arraycopy(samples.inputs(), first * samples.inputSize(), batch, 0, size * samples.inputSize());
			final float[][] predicted = model.predict(batch, size);
			for (int b = 0; b < size; b++) {
				final int offset = (first + b) * samples.outputs();
				for (int k = 0; k < samples.outputs(); k += 2) {
					final double dx = predicted[b][k] - samples.targets()[offset + k];
					final double dy = predicted[b][k + 1] - samples.targets()[offset + k + 1];
					squared += dx * dx + dy * dy;
					distance += Math.hypot(dx * width, dy * height);
				}
			}
		}
		final double coordinates = (double) samples.count() * samples.outputs();
		return new double[] { squared / coordinates, distance / (coordinates / 2) };
	}
}
