package io.github.keypointj.detect;

import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.model.ModelDescription;

import java.util.List;

/**
 * What Detect Keypoints found.
 *
 * @param model the description of the model used (keypoint names, input)
 * @param keypoints per object and plane, in plane order
 * @param canceled whether the user stopped it (then nothing was written)
 * @param rejected per object whose points could not be right, where and why (e.g. "slice 2 (label):
 *        keypoint 1 is not a number"); those points were not written
 */
public record DetectionResult(ModelDescription model, List<PlaneKeypoints> keypoints, boolean canceled,
	List<String> rejected)
{}
