package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * The object stage's loss, CenterNet's: a focal loss of the centre logits against the Gaussian peaks
 * (a cell near a centre is penalised less for a high score, by (1 - target)^4), and the L1 distance of
 * the log box sizes at the centres' cells, both per object in the batch.
 * <p>
 * Labels: {@code objects.ObjectMaps}' targets (N, 4 x cells x cells); predictions: the stage's maps
 * (N, C, cells, cells), of which the first three count.
 */
public final class ObjectLoss extends Loss {

	public ObjectLoss() {
		super("objects");
	}

	@Override
	public NDArray evaluate(final NDList labels, final NDList predictions) {
		final NDArray maps = predictions.singletonOrThrow();
		final Shape shape = maps.getShape();
		final long n = shape.get(0), h = shape.get(2), w = shape.get(3);
		final NDArray targets = labels.singletonOrThrow().reshape(n, 4, h, w);
		final NDArray heat = targets.get(":, 0");
		final NDArray centres = targets.get(":, 3");
		final NDArray logits = maps.get(":, 0");
		// log p and log(1 - p) from the logits directly: no log of a rounded 0 or 1
		final NDArray logP = Activation.softPlus(logits.neg()).neg();
		final NDArray logNotP = Activation.softPlus(logits).neg();
		final NDArray p = logP.exp();
		final NDArray positive = centres.mul(p.neg().add(1).square()).mul(logP);
		final NDArray negative = centres.neg().add(1).mul(heat.neg().add(1).pow(4)).mul(p.square()).mul(logNotP);
		final NDArray objects = centres.sum().maximum(1);
		final NDArray focal = positive.add(negative).sum().neg().div(objects);
		final NDArray sizes = maps.get(":, 1:3").sub(targets.get(":, 1:3")).abs().mul(centres.expandDims(1)).sum()
			.div(objects);
		return focal.add(sizes);
	}
}
