package io.github.keypointj.detect;

import io.github.keypointj.data.PlaneKeypoints;

import java.util.List;

/**
 * One object found: its keypoints and how sure the model is of each and of the object.
 *
 * @param points where
 * @param confidence per keypoint, in [0, 1] for heatmap models (the probability the model puts within a
 *        heatmap cell of the point), NaN for models that regress coordinates
 * @param score the object stage's score of the object, in [0, 1]: what decides whether it is one; NaN
 *        where no object stage looked (boxes given, or a model without one)
 * @param track the object's number through the planes of a stack (from 1), or 0 where it is not tracked
 */
public record DetectedObject(PlaneKeypoints points, float[] confidence, double score, int track) {

	/** An object found in a given box, without an object score or track. */
	public DetectedObject(final PlaneKeypoints points, final float[] confidence) {
		this(points, confidence, Double.NaN, 0);
	}

	/** This object as {@code track}. */
	public DetectedObject tracked(final int track) {
		return new DetectedObject(points, confidence, score, track);
	}

	/** The keypoints of {@code objects}, in their order. */
	public static List<PlaneKeypoints> points(final List<DetectedObject> objects) {
		return objects.stream().map(DetectedObject::points).toList();
	}

	/** The mean of the keypoints' confidences: how much the crop looks like the objects trained on; NaN if none. */
	public double meanConfidence() {
		double sum = 0;
		for (final float value : confidence) sum += value;
		return confidence.length == 0 ? Double.NaN : sum / confidence.length;
	}
}
