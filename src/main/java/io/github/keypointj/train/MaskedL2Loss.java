package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The coordinate networks' loss: the mean squared error of the normalised coordinates over the labelled
 * ones; a missing keypoint's coordinates (NaN labels) contribute nothing. Without missing points it is
 * DJL's {@code Loss.l2Loss("mse", 1)} to the bit.
 */
public final class MaskedL2Loss extends Loss {

	public MaskedL2Loss() {
		super("mse");
	}

	@Override
	public NDArray evaluate(final NDList labels, final NDList predictions) {
		final NDArray prediction = predictions.singletonOrThrow();
		final NDArray label = labels.singletonOrThrow().reshape(prediction.getShape());
		return MissingLabels.mean(MissingLabels.filled(label).sub(prediction).square(), MissingLabels.labelled(label));
	}
}
