package io.github.keypointj.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.keypointj.Progress;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

/** The demo the README's main job runs: the shipped model finds the shipped stack's annotated points. */
class ShippedDemoTest {

	private static final Path MODEL = Paths.get("sample-images/models/spots-nosenet.zip");

	@Test
	void theShippedModelFindsTheAnnotatedSpots() {
		final ImagePlus stack = IJ.openImage("sample-images/spots.tif");
		final DetectionResult result = Detection.run(stack, new DetectionRequest(MODEL, true, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, 0), Progress.NONE);
		assertFalse(result.canceled());
		assertEquals(stack.getStackSize(), result.keypoints().size());
		double total = 0;
		int count = 0;
		for (final PointRoi detected : KeypointOverlay.detections(stack)) {
			final PointRoi annotation = annotationOn(stack, detected.getPosition());
			for (int k = 0; k < 2; k++) {
				total += Math.hypot(detected.getFloatPolygon().xpoints[k] - annotation.getFloatPolygon().xpoints[k],
					detected.getFloatPolygon().ypoints[k] - annotation.getFloatPolygon().ypoints[k]);
				count++;
			}
		}
		assertEquals(2 * stack.getStackSize(), count);
		// Spots sit anywhere in 80x60 planes (a mean-shape guess is ~25 px off); the model is trained to ~2 px.
		assertTrue(total / count < 3.0, "mean distance " + total / count + " px");
	}

	private static PointRoi annotationOn(final ImagePlus stack, final int plane) {
		for (final Roi roi : stack.getOverlay().toArray()) {
			if (roi instanceof PointRoi && !KeypointOverlay.isDetection(roi) && roi.getPosition() == plane) return (PointRoi) roi;
		}
		throw new AssertionError("no annotation on plane " + plane);
	}
}
