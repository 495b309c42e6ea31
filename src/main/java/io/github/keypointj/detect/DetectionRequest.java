package io.github.keypointj.detect;

import io.github.keypointj.engine.DeviceChoice;

import java.nio.file.Path;

/**
 * What a user asks of Detect Keypoints.
 *
 * @param model the model file
 * @param allPlanes every plane, or only the one on view
 * @param region where the objects are
 * @param device where the network runs
 * @param refineRounds for models trained on crops around boxes, with {@code region} the whole image: how
 *        often to re-crop around the points found ({@link KeypointDetector#detectSelfRefined})
 * @param csvFile where to write the keypoint table too, or null
 * @param overwrite whether {@code csvFile} may replace an existing file
 * @param minConfidence for models with an object stage, on the whole image: the object score an object
 *        needs to be kept; 0 for the score the stage was calibrated to ({@link KeypointDetector#find})
 * @param mirrorAverage whether each object's points are the mean of the model's on it and on its mirror
 *        image (twice the inference; {@link KeypointDetector}); false: as the model file says
 */
public record DetectionRequest(Path model, boolean allPlanes, Region region, DeviceChoice device, int refineRounds,
	Path csvFile, boolean overwrite, double minConfidence, boolean mirrorAverage)
{

	/** The object score kept by default: 0 stands for the model's own threshold, chosen on held-out photos. */
	public static final double DEFAULT_MIN_CONFIDENCE = 0;

	/** As the model file says about the average with the mirror image. */
	public DetectionRequest(final Path model, final boolean allPlanes, final Region region, final DeviceChoice device,
		final int refineRounds, final Path csvFile, final boolean overwrite, final double minConfidence)
	{
		this(model, allPlanes, region, device, refineRounds, csvFile, overwrite, minConfidence, false);
	}

	/** A request without a CSV file, with the default confidence. */
	public DetectionRequest(final Path model, final boolean allPlanes, final Region region, final DeviceChoice device,
		final int refineRounds)
	{
		this(model, allPlanes, region, device, refineRounds, null, false, DEFAULT_MIN_CONFIDENCE);
	}
}
