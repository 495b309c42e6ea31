package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.io.FileSaver;
import ij.plugin.HyperStackConverter;
import io.github.keypointj.TestImages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeypointOverlayTest {

	@TempDir
	Path folder;

	@Test
	void detectionsKeepPlanesPointsAndNamesThroughATiff() {
		final ImagePlus stack = TestImages.stack("8-bit", 40, 30, 3);
		write(stack);
		final ImagePlus reopened = roundTrip(stack, "stack.tif");
		final List<PointRoi> detections = KeypointOverlay.detections(reopened);
		assertEquals(3, detections.size());
		for (int i = 0; i < 3; i++) {
			assertEquals(i + 1, detections.get(i).getPosition());
			assertEquals(1.25 + i, detections.get(i).getFloatPolygon().xpoints[0], 1e-6);
			assertEquals("nose|chin", detections.get(i).getProperty(KeypointOverlay.NAMES));
		}
	}

	@Test
	void hyperstackDetectionsKeepSliceAndFrameThroughATiff() {
		final ImagePlus hyperstack = HyperStackConverter.toHyperStack(TestImages.stack("8-bit", 40, 30, 8), 2, 2, 2);
		write(hyperstack);
		final List<PointRoi> detections = KeypointOverlay.detections(roundTrip(hyperstack, "hyper.tif"));
		assertEquals(4, detections.size());
		final List<String> positions = new ArrayList<>();
		for (final PointRoi roi : detections) {
			assertTrue(roi.hasHyperStackPosition());
			positions.add(roi.getCPosition() + "," + roi.getZPosition() + "," + roi.getTPosition());
		}
		assertEquals(List.of("0,1,1", "0,2,1", "0,1,2", "0,2,2"), positions);
	}

	private static void write(final ImagePlus image) {
		final List<PlanePosition> planes = PlanePosition.toProcess(image, true);
		final List<PlaneKeypoints> found = new ArrayList<>();
		for (int i = 0; i < planes.size(); i++) {
			found.add(new PlaneKeypoints(planes.get(i), CropBox.wholeImage(40, 30), new double[] { 1.25 + i, 3 },
				new double[] { 2.5, 4 }));
		}
		KeypointOverlay.replaceDetections(image, planes, found, "test", List.of("nose", "chin"));
	}

	private ImagePlus roundTrip(final ImagePlus image, final String name) {
		final String path = folder.resolve(name).toString();
		assertTrue(new FileSaver(image).saveAsTiff(path));
		return IJ.openImage(path);
	}
}
