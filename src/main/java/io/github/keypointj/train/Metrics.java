package io.github.keypointj.train;

import io.github.keypointj.augment.BatchLoader;
import io.github.keypointj.model.KeypointModel;

import java.util.Iterator;

/** Loss and point error of a model on batches, in inference mode. */
public final class Metrics {

	private Metrics() {}

	/**
	 * @return the mean squared error of the normalised coordinates, and the mean Euclidean point error
	 *         in network-input pixels, both over the labelled keypoints (a missing one's targets are NaN)
	 */
	public static double[] lossAndError(final KeypointModel model, final BatchLoader batches) {
		final int width = model.description().inputWidth();
		final int height = model.description().inputHeight();
		double squared = 0;
		double distance = 0;
		long points = 0;
		for (final Iterator<BatchLoader.Batch> it = batches.epoch(0); it.hasNext();) {
			final BatchLoader.Batch batch = it.next();
			final float[][] predicted = model.predict(batch.inputs(), batch.size());
			final int outputs = batch.targets().length / batch.size();
			for (int b = 0; b < batch.size(); b++) {
				for (int k = 0; k < outputs; k += 2) {
					if (Float.isNaN(batch.targets()[b * outputs + k])) continue; // a missing keypoint
					final double dx = predicted[b][k] - batch.targets()[b * outputs + k];
					final double dy = predicted[b][k + 1] - batch.targets()[b * outputs + k + 1];
					squared += dx * dx + dy * dy;
					distance += Math.hypot(dx * width, dy * height);
					points++;
				}
			}
		}
		return new double[] { squared / (2.0 * points), distance / points };
	}
}
