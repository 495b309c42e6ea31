package io.github.keypointj.detect;

import io.github.keypointj.data.KeypointOverlay;
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
 * @param notes what the user should know about how the objects were found (e.g. a model without an
 *        object stage), for the Log
 */
public record DetectionResult(ModelDescription model, List<DetectedObject> objects, boolean canceled,
	List<String> rejected, List<String> notes)
{

	/** A result without notes. */
	public DetectionResult(final ModelDescription model, final List<DetectedObject> objects, final boolean canceled,
		final List<String> rejected)
	{
		this(model, objects, canceled, rejected, List.of());
	}

	/** A mean keypoint confidence below which a user should check the object. */
	public static final double DOUBTFUL_CONFIDENCE = 0.5;

	/**
	 * How sure the model is of each object, for the user: the object stage's scores where it found them
	 * ("score 0.93, 0.71"), else the mean keypoint confidence ("confidence 0.71, 0.12 (below 0.3: check
	 * it)"); null for models that give neither.
	 */
	public String confidenceSummary(final double minConfidence) {
		if (objects.isEmpty()) return null;
		final boolean scored = !Double.isNaN(objects.get(0).score());
		if (!scored && Double.isNaN(objects.get(0).meanConfidence())) return null;
		final StringBuilder summary = new StringBuilder(scored ? "score " : "confidence ");
		for (int i = 0; i < objects.size(); i++) {
			final double confidence = scored ? objects.get(i).score() : objects.get(i).meanConfidence();
			summary.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.2f", confidence));
			if (!scored && confidence < minConfidence) summary.append(" (below ").append(minConfidence).append(": check it)");
		}
		return summary.toString();
	}

	/** Whether the objects were followed through the planes as tracks. */
	public boolean tracked() {
		return objects.stream().anyMatch(object -> object.track() > 0);
	}

	/**
	 * Each object's number, as the table, the CSV and the ROI names give it: its track, when tracked, else
	 * its place on its plane (from 1).
	 */
	public List<Integer> objectNumbers() {
		return tracked() ? objects.stream().map(DetectedObject::track).toList()
			: KeypointOverlay.numberedPerPlane(keypoints());
	}

	/** The keypoints of {@link #objects}, in the same order. */
	public List<PlaneKeypoints> keypoints() {
		return DetectedObject.points(objects);
	}
}
