package io.github.keypointj.detect;

import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.model.ModelDescription;

import java.util.List;

/**
 * What Detect Keypoints found.
 *
 * @param model the description of the model used (keypoint names, input)
 * @param objects per object and plane, in plane order: its keypoints and the model's confidence in them
 * @param canceled whether the user stopped it (then nothing was written)
 * @param rejected per object whose points could not be right, where and why (e.g. "slice 2 (label):
 *        keypoint 1 is not a number"); those points were not written
 */
public record DetectionResult(ModelDescription model, List<DetectedObject> objects, boolean canceled,
	List<String> rejected)
{

	/**
	 * The mean confidence of each object, for the user ("confidence 0.71, 0.12 (below 0.3: check it)"), or
	 * null for models that give none.
	 */
	public String confidenceSummary(final double minConfidence) {
		if (objects.isEmpty() || Double.isNaN(objects.get(0).meanConfidence())) return null;
		final StringBuilder summary = new StringBuilder("confidence ");
		for (int i = 0; i < objects.size(); i++) {
			final double confidence = objects.get(i).meanConfidence();
			summary.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.2f", confidence));
			if (confidence < minConfidence) summary.append(" (below ").append(minConfidence).append(": check it)");
		}
		return summary.toString();
	}

	/** The keypoints of {@link #objects}, in the same order. */
	public List<PlaneKeypoints> keypoints() {
		return DetectedObject.points(objects);
	}
}
