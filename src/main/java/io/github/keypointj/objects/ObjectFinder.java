package io.github.keypointj.objects;

import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.model.ObjectStage;

import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the objects on a whole plane with a model's object stage: the plane, fitted into the stage's
 * square input (its longer side filling it, the rest black as in training), goes through the network
 * once; each peak of the centre map above the score asked for is an object, with the box the size maps
 * give, in image area coordinates. Of boxes that are one object (overlapping, or one inside the other),
 * the strongest is kept.
 */
public final class ObjectFinder {

	/** Objects looked at per plane at most: more than any photo or frame holds. */
	static final int MOST = 64;
	/** Two boxes whose intersection over union exceeds this are one object. */
	public static final double SAME_OBJECT_OVERLAP = 0.3;
	/** A box lying this much (of its own area) inside a stronger one is part of that object, not another. */
	public static final double INSIDE = 0.7;

	private final ObjectStage stage;
	private final Normalization normalization;

	public ObjectFinder(final ObjectStage stage, final Normalization normalization) {
		this.stage = stage;
		this.normalization = normalization;
	}

	/**
	 * The objects on {@code plane} (the image's plane, not reduced) whose score reaches {@code minScore},
	 * strongest first.
	 */
	public List<ObjectMaps.Peak> find(final SourcePlane plane, final double minScore) {
		final int side = stage.description().inputSide();
		final double imageSide = Math.max(plane.width(), plane.height());
		final AffineTransform inputToImage = new CropBox(0, 0, imageSide, imageSide).inputToImage(side, side);
		final float[] input = new float[stage.inputSize()];
		InputSampler.sample(plane.reduce(SourcePlane.usefulFactor(InputSampler.scale(inputToImage))), inputToImage, side,
			side, input, 0);
		normalization.normalize(input, 0, side * side);
		final float[] maps = stage.infer(input, 1);
		final double toImage = imageSide / side;
		final List<ObjectMaps.Peak> found = new ArrayList<>();
		for (final ObjectMaps.Peak peak : ObjectMaps.peaks(maps, 0, side, minScore, MOST)) {
			final CropBox box = peak.box();
			found.add(new ObjectMaps.Peak(new CropBox(box.x() * toImage, box.y() * toImage, box.width() * toImage,
				box.height() * toImage), peak.score()));
		}
		return distinct(found, ObjectMaps.Peak::box, ObjectMaps.Peak::score);
	}

	/**
	 * The strongest of {@code items} whose boxes neither overlap a stronger one's by more than
	 * {@link #SAME_OBJECT_OVERLAP} nor lie inside it by more than {@link #INSIDE}, strongest first
	 * (non-maximum suppression, with "a face inside a face" counted as the same face).
	 */
	public static <T> List<T> distinct(final List<T> items, final java.util.function.Function<T, CropBox> box,
		final java.util.function.ToDoubleFunction<T> score)
	{
		final List<T> sorted = new ArrayList<>(items);
		sorted.sort(Comparator.comparingDouble(score).reversed());
		final List<T> kept = new ArrayList<>();
		for (final T candidate : sorted) {
			boolean apart = true;
			for (final T other : kept) {
				final CropBox a = box.apply(candidate), b = box.apply(other);
				apart &= overlap(a, b) <= SAME_OBJECT_OVERLAP && intersection(a, b) <= INSIDE * area(a) &&
					intersection(a, b) <= INSIDE * area(b);
			}
			if (apart) kept.add(candidate);
		}
		return kept;
	}

	/** Intersection over union of two boxes. */
	public static double overlap(final CropBox a, final CropBox b) {
		final double intersection = intersection(a, b);
		return intersection == 0 ? 0 : intersection / (area(a) + area(b) - intersection);
	}

	private static double intersection(final CropBox a, final CropBox b) {
		final double w = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
		final double h = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
		return w <= 0 || h <= 0 ? 0 : w * h;
	}

	private static double area(final CropBox box) {
		return box.width() * box.height();
	}
}
