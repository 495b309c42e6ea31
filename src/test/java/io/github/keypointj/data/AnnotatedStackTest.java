package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import io.github.keypointj.KeypointException;
import io.github.keypointj.TestImages;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotatedStackTest {

	@TempDir
	Path folder;

	@Test
	void overlayPointsAreTheKeypointsAndRectanglesTheBoxes() {
		final ImagePlus image = TestImages.stack("8-bit", 100, 80, 4);
		final Overlay overlay = new Overlay();
		overlay.add(points(image, 1, 10.5, 20.25, 30, 40));
		overlay.add(points(image, 3, 11, 21, 31, 41));
		final Roi box = new Roi(5, 15, 40, 40);
		box.setPosition(3);
		overlay.add(box);
		final PointRoi detection = points(image, 2, 1, 1, 2, 2);
		detection.setProperty(KeypointOverlay.ROLE, KeypointOverlay.DETECTED);
		overlay.add(detection);
		image.setOverlay(overlay);

		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		assertEquals(2, stack.objects().size(), "the detection on plane 2 is not an annotation");
		assertEquals(2, stack.unannotatedPlanes());
		assertEquals(List.of("point 1", "point 2"), stack.keypointNames());
		final PlaneKeypoints first = stack.objects().get(0);
		assertEquals(1, first.plane().stackIndex());
		assertArrayEquals(new double[] { 10.5, 30 }, first.x(), 1e-6);
		assertArrayEquals(new double[] { 20.25, 40 }, first.y(), 1e-6);
		assertEquals(CropBox.wholeImage(100, 80), first.region());
		assertEquals(new CropBox(5, 15, 40, 40), stack.objects().get(1).region());
	}

	/**
	 * Issue 26, case 9: mirror pairs stored for other points (here 68 face points, for a set of 2) were a
	 * KeypointException that blocked Train and Evaluate; like stale names they are ignored, and fitting
	 * ones are kept.
	 */
	@Test
	void staleMirrorPairsAreIgnoredAndFittingOnesKept() {
		final ImagePlus image = TestImages.stack("8-bit", 100, 80, 1);
		final PointRoi points = points(image, 1, 10, 20, 30, 40);
		points.setProperty(MirrorOrder.PROPERTY, MirrorOrder.IBUG_68.pairs());
		image.setOverlay(new Overlay(points));
		assertEquals(null, AnnotatedStack.read(image, null).mirror());
		points.setProperty(MirrorOrder.PROPERTY, "0-1");
		assertEquals(new MirrorOrder(new int[] { 1, 0 }), AnnotatedStack.read(image, null).mirror());
	}

	@Test
	void aMultiPointSelectionAcrossSlicesWorksToo() {
		final ImagePlus image = TestImages.stack("8-bit", 60, 50, 3);
		final PointRoi selection = new PointRoi();
		image.setRoi(selection);
		for (int plane = 1; plane <= 3; plane++) {
			image.setSlice(plane);
			// as the Multi-point tool does: each point remembers the slice it was clicked on
			selection.addPoint(image, 10 + plane, 20);
			selection.addPoint(image, 30, 5 + plane);
		}
		final AnnotatedStack stack = AnnotatedStack.read(image, List.of("left", "right"));
		assertEquals(3, stack.objects().size());
		assertEquals(0, stack.unannotatedPlanes());
		assertArrayEquals(new double[] { 13, 30 }, stack.objects().get(2).x(), 1e-6);
		assertArrayEquals(new double[] { 20, 8 }, stack.objects().get(2).y(), 1e-6);
		assertEquals(List.of("left", "right"), stack.keypointNames());
	}

	@Test
	void planesWithAnotherNumberOfPointsAreListed() {
		final ImagePlus image = TestImages.stack("8-bit", 60, 50, 5);
		final Overlay overlay = new Overlay();
		for (int plane = 1; plane <= 5; plane++) {
			overlay.add(plane == 2 || plane == 4 ? points(image, plane, 1, 1) : points(image, plane, 1, 1, 2, 2));
		}
		image.setOverlay(overlay);
		final KeypointException e = assertThrows(KeypointException.class, () -> AnnotatedStack.read(image, null));
		assertEquals("Every annotated plane needs the same number of points: most have 2, but planes 2, 4 with 1.",
			e.getMessage());
	}

	@Test
	void aStackWithoutAnnotationsIsAClearError() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> AnnotatedStack.read(TestImages.stack("8-bit", 20, 20, 2), null));
		assertEquals(true, e.getMessage().startsWith("The image has no annotated planes"));
	}

	@Test
	void annotationsSurviveATiffRoundTrip() {
		final ImagePlus image = TestImages.stack("16-bit", 64, 48, 3);
		final List<PlaneKeypoints> objects = List.of(
			new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(64, 48), new double[] { 1.5, 2.25 }, new double[] { 3, 4 }),
			new PlaneKeypoints(PlanePosition.of(image, 3), CropBox.wholeImage(64, 48), new double[] { 5, 6 }, new double[] { 7.75, 8 }));
		AnnotatedStack.annotate(image, objects, List.of("eye", "mouth"), null);
		final AnnotatedStack read = readAfterTiff(image, new Roi(2, 2, 30, 30), "annotated.tif");
		assertEquals(List.of("eye", "mouth"), read.keypointNames());
		assertEquals(2, read.objects().size());
		assertEquals(3, read.objects().get(1).plane().stackIndex());
		assertArrayEquals(new double[] { 5, 6 }, read.objects().get(1).x(), 1e-6);
		assertArrayEquals(new double[] { 7.75, 8 }, read.objects().get(1).y(), 1e-6);
		assertEquals(new CropBox(2, 2, 30, 30), read.objects().get(1).region());
	}

	/**
	 * Issue 27, case 4: keypoints missing on a plane (occluded; NaN) are left out of its point selection
	 * and come back as NaN in their slots, through a TIFF too; the box is chosen by the labelled points'
	 * centre, and an object without any labelled point is not written.
	 */
	@Test
	void missingKeypointsSurviveATiffRoundTrip() {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 3);
		final double nan = Double.NaN;
		final List<PlaneKeypoints> objects = List.of(
			new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(64, 48), new double[] { 1.5, nan, 3, nan },
				new double[] { 4, nan, 6.25, nan }),
			new PlaneKeypoints(PlanePosition.of(image, 2), CropBox.wholeImage(64, 48), new double[] { nan, nan, nan, nan },
				new double[] { nan, nan, nan, nan }),
			new PlaneKeypoints(PlanePosition.of(image, 3), CropBox.wholeImage(64, 48), new double[] { 50, 52, 54, nan },
				new double[] { 40, 42, 44, nan }));
		AnnotatedStack.annotate(image, objects, List.of("a", "b", "c", "d"), null);
		assertEquals(2, image.getOverlay().size(), "the object without a labelled point is not written");
		assertEquals(2, ((PointRoi) image.getOverlay().get(0)).size(), "only the labelled points are in the ROI");
		assertEquals("1,3", image.getOverlay().get(0).getProperty(KeypointOverlay.MISSING));
		// the box that holds the labelled points' centre (a centre with the missing point in it is no number)
		final AnnotatedStack read = readAfterTiff(image, new Roi(45, 35, 15, 12), "missing.tif");
		assertEquals(2, read.objects().size());
		assertEquals(1, read.unannotatedPlanes());
		final PlaneKeypoints first = read.objects().get(0);
		assertArrayEquals(new double[] { 1.5, nan, 3, nan }, first.x(), 1e-6);
		assertArrayEquals(new double[] { 4, nan, 6.25, nan }, first.y(), 1e-6);
		assertEquals(2, first.labelledCount());
		final PlaneKeypoints last = read.objects().get(1);
		assertEquals(3, last.plane().stackIndex());
		assertArrayEquals(new double[] { 50, 52, 54, nan }, last.x(), 1e-6);
		assertEquals(false, last.isLabelled(3));
		assertEquals(new CropBox(45, 35, 15, 12), last.region());
	}

	@Test
	void malformedMissingSlotsAreAClearError() {
		final ImagePlus image = TestImages.stack("8-bit", 20, 20, 1);
		final PointRoi roi = points(image, 1, 1, 2, 3, 4);
		roi.setName("keypoints 1");
		roi.setProperty(KeypointOverlay.MISSING, "0,7");
		image.setOverlay(new Overlay(roi));
		assertEquals("The point selection 'keypoints 1' has keypointj.missing=0,7: expected distinct keypoint indices " +
			"from 0, separated by commas.", assertThrows(KeypointException.class, () -> AnnotatedStack.read(image, null))
				.getMessage());
	}

	/** The annotations of {@code image} with {@code box} added on plane 3, after a TIFF save and reopen. */
	private AnnotatedStack readAfterTiff(final ImagePlus image, final Roi box, final String name) {
		box.setPosition(3);
		image.getOverlay().add(box);
		final String path = folder.resolve(name).toString();
		new FileSaver(image).saveAsTiffStack(path);
		return AnnotatedStack.read(IJ.openImage(path), null);
	}

	private static PointRoi points(final ImagePlus image, final int plane, final double... xy) {
		final double[] x = new double[xy.length / 2];
		final double[] y = new double[xy.length / 2];
		for (int i = 0; i < x.length; i++) {
			x[i] = xy[2 * i];
			y[i] = xy[2 * i + 1];
		}
		return KeypointOverlay.pointRoi(x, y, PlanePosition.of(image, plane), image);
	}

	/** KeypointJ's detections read back as keypoints, on their planes, with their names; annotations are not. */
	@Test
	void detectionsReadBackAsKeypointsOnTheirPlanes() {
		final ImagePlus image = TestImages.stack("8-bit", 60, 50, 3);
		final PlaneKeypoints annotated = new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(60, 50),
			new double[] { 1, 2 }, new double[] { 3, 4 });
		AnnotatedStack.annotate(image, List.of(annotated), List.of("eye", "mouth"), null);
		final PlaneKeypoints detected = new PlaneKeypoints(PlanePosition.of(image, 3), CropBox.wholeImage(60, 50),
			new double[] { 10, 20 }, new double[] { 30, 40 });
		KeypointOverlay.replaceDetections(image, List.of(PlanePosition.of(image, 3)), List.of(detected), "m",
			List.of("left", "right"));
		final AnnotatedStack read = AnnotatedStack.readDetections(image);
		assertEquals(1, read.objects().size());
		assertEquals(3, read.objects().get(0).plane().stackIndex());
		assertArrayEquals(new double[] { 10, 20 }, read.objects().get(0).x(), 1e-4);
		assertEquals(List.of("left", "right"), read.keypointNames());
		assertEquals("'t' has no keypoints detected by KeypointJ.", assertThrows(KeypointException.class,
			() -> AnnotatedStack.readDetections(new ImagePlus("t", new ij.process.ByteProcessor(8, 8)))).getMessage());
	}

	/**
	 * Issue 27: planes without rectangles are learned in their points' box; a plane whose other points are
	 * hidden gets the stack's usual box around the ones in view, not a box of one point; a keypoint set
	 * that makes no box (one point) keeps its whole planes.
	 */
	@Test
	void objectsWithoutRectanglesGetTheirPointsBoxOrTheUsualOneWhenTheirPointsAreHidden() {
		final ImagePlus image = TestImages.stack("8-bit", 200, 100, 3);
		final CropBox whole = CropBox.wholeImage(200, 100);
		final double nan = Double.NaN;
		final AnnotatedStack stack = new AnnotatedStack(image, List.of(
			new PlaneKeypoints(PlanePosition.of(image, 1), whole, new double[] { 10, 50, 30 }, new double[] { 10, 30, 20 }),
			new PlaneKeypoints(PlanePosition.of(image, 2), whole, new double[] { 100, 160, 130 }, new double[] { 40, 70, 50 }),
			new PlaneKeypoints(PlanePosition.of(image, 3), whole, new double[] { 80, nan, nan }, new double[] { 60, nan, nan })),
			List.of("a", "b", "c"), 0, null);
		final List<CropBox> boxes = stack.withObjectBoxes().objects().stream().map(PlaneKeypoints::region).toList();
		assertEquals(CropBox.around(new double[] { 10, 50, 30 }, new double[] { 10, 30, 20 }), boxes.get(0));
		assertEquals(CropBox.around(new double[] { 100, 160, 130 }, new double[] { 40, 70, 50 }), boxes.get(1));
		assertEquals(new CropBox(80.5 - 20, 60.5 - 10, 40, 20), boxes.get(2), "the median box, 40x20, around the point");

		final AnnotatedStack onePoint = new AnnotatedStack(image, List.of(new PlaneKeypoints(PlanePosition.of(image, 1),
			whole, new double[] { 10 }, new double[] { 10 })), List.of("a"), 2, null);
		assertEquals(null, onePoint.typicalPointBox());
		assertEquals(whole, onePoint.withObjectBoxes().objects().get(0).region());
	}
}
