package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Labels with missing keypoints: a keypoint not labelled on a plane (issue 27, case 4) reaches the loss as
 * NaN targets, and must teach the network nothing. The losses average over the labelled values only; a
 * batch without missing points gives exactly the plain mean.
 */
final class MissingLabels {

	private MissingLabels() {}

	/** 1 where a label is a number, 0 where it is missing, in the labels' type and shape. */
	static NDArray labelled(final NDArray labels) {
		return labels.isNaN().logicalNot().toType(labels.getDataType(), false);
	}

	/** The labels with the missing ones 0: finite, so that a zero weight leaves no NaN behind. */
	static NDArray filled(final NDArray labels) {
		return NDArrays.where(labels.isNaN(), labels.zerosLike(), labels);
	}

	/**
	 * The mean of {@code values} where {@code labelled} is 1, as a scalar: the plain mean scaled by the
	 * share of labelled values (by exactly 1 when none is missing), and 0 when none is labelled.
	 */
	static NDArray mean(final NDArray values, final NDArray labelled) {
		final NDArray share = labelled.getManager().create((float) labelled.size()).toDevice(labelled.getDevice(), false)
			.div(labelled.sum().maximum(1));
		return values.mul(labelled).mean().mul(share);
	}
}
