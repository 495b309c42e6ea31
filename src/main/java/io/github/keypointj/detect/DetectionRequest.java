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
 */
public record DetectionRequest(Path model, boolean allPlanes, Region region, DeviceChoice device, int refineRounds) {}
