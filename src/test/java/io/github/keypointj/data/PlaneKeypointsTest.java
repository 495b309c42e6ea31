package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PlaneKeypointsTest {

	private static String check(final double x, final double y) {
		return new PlaneKeypoints(new PlanePosition(1, 1, 1, 1), CropBox.wholeImage(80, 60), new double[] { 40, x },
			new double[] { 30, y }).implausibility(80, 60);
	}

	/** What detection refuses to write (issue 14, case 6), and what it still writes: a model may point a little outside. */
	@Test
	void pointsThatCannotBeAPredictionAreNamed() {
		assertNull(check(79.5, 59.5));
		assertNull(check(-150, 170), "two image sizes beyond: a model on an unusual image");
		assertEquals("keypoint 2 is not a number", check(Double.NaN, 3));
		assertEquals("keypoint 2 is not a number", check(4, Double.POSITIVE_INFINITY));
		assertEquals("keypoint 2 at (2491, 7414) lies far outside the 80x60 image", check(2491, 7414));
		assertEquals("keypoint 2 at (8.900e+15, 3.000) lies far outside the 80x60 image", check(8.9e15, 3));
	}

	/** Issue 27, case 4: an importer's missing point (NaN) is no fault, but its labelled points are checked. */
	@Test
	void importersCheckOnlyTheLabelledPoints() {
		final double[] x = { 40, Double.NaN, 2491 }, y = { 30, Double.NaN, 7414 };
		assertEquals("keypoint 3 at (2491, 7414) lies far outside the 80x60 image",
			PlaneKeypoints.labelledImplausibility(x, y, 80, 60));
		x[2] = 41;
		y[2] = 31;
		assertNull(PlaneKeypoints.labelledImplausibility(x, y, 80, 60));
		assertEquals("keypoint 2 is not a number", PlaneKeypoints.implausibility(x, y, 80, 60), "a detection has every point");
		final PlaneKeypoints points = new PlaneKeypoints(new PlanePosition(1, 1, 1, 1), CropBox.wholeImage(80, 60), x, y);
		assertEquals(2, points.labelledCount());
		assertEquals(new CropBox(40.5, 30.5, 1, 1), CropBox.around(x, y), "the box of the labelled points");
	}
}
