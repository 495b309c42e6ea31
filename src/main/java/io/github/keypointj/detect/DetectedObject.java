package io.github.keypointj.detect;

import io.github.keypointj.data.PlaneKeypoints;

import java.util.List;

/**
 * One object found: its keypoints and how sure the model is of each.
 *
 * @param points where
 * @param confidence per keypoint, in [0, 1] for heatmap models (the probability the model puts within a
 *        heatmap cell of the point), NaN for models that regress coordinates
 */
public record DetectedObject(PlaneKeypoints points, float[] confidence) {

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
