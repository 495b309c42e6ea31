package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WindowSearchTest {

	private static final double BOX_SCALE = 1.4;

	/**
	 * Any object from the smallest looked for to the size of the plane has a window whose object box is
	 * centred within an eighth of the window's side of it and within a sixth of its size: what the heatmap
	 * network's training shifts and scales cover.
	 */
	@Test
	void everyObjectSizeAndPlaceHasAWindowCloseToIt() {
		final int width = 640, height = 427;
		final List<CropBox> windows = WindowSearch.windows(width, height, BOX_SCALE);
		final SplittableRandom random = new SplittableRandom(3);
		for (int trial = 0; trial < 2000; trial++) {
			final double side = height * (WindowSearch.SMALLEST_OBJECT + random.nextDouble() * (1 / BOX_SCALE - WindowSearch.SMALLEST_OBJECT));
			final double x = random.nextDouble() * (width - side), y = random.nextDouble() * (height - side);
			boolean close = false;
			for (final CropBox window : windows) {
				final CropBox box = WindowSearch.boxOf(window, BOX_SCALE);
				final double dx = Math.abs(box.x() + box.width() / 2 - (x + side / 2));
				final double dy = Math.abs(box.y() + box.height() / 2 - (y + side / 2));
				final double ratio = box.width() / side;
				close |= dx <= window.width() / 8 + 1e-9 && dy <= window.width() / 8 + 1e-9 && ratio <= Math.pow(2, 0.25) + 1e-9 &&
					ratio >= Math.pow(2, -0.25) - 1e-9;
			}
			assertTrue(close, "no window near an object of " + side + " px at (" + x + ", " + y + ")");
		}
	}

	@Test
	void windowsRunFromThePlanesLongerSideToTheSmallestObject() {
		final List<CropBox> windows = WindowSearch.windows(640, 427, BOX_SCALE);
		assertEquals(640, windows.get(0).width(), 1e-9, "the first window is the whole plane, centred");
		assertEquals((427 - 640) / 2.0, windows.get(0).y(), 1e-9);
		final double smallest = windows.get(windows.size() - 1).width();
		assertTrue(smallest >= 427 * WindowSearch.SMALLEST_OBJECT * BOX_SCALE - 1e-9);
		assertTrue(smallest / Math.sqrt(2) < 427 * WindowSearch.SMALLEST_OBJECT * BOX_SCALE, "no smaller scale was due");
		for (final CropBox window : windows) {
			assertEquals(window.width(), window.height(), 1e-9, "square");
			final double margin = window.width() * (1 - 1 / BOX_SCALE) / 2;
			if (window.width() <= 427) {
				assertTrue(window.x() >= -margin - 1e-9 && window.x() + window.width() <= 640 + margin + 1e-9);
				assertTrue(window.y() >= -margin - 1e-9 && window.y() + window.height() <= 427 + margin + 1e-9,
					"past the plane by no more than the margin around the box");
			}
		}
		// A plane smaller than the smallest window gets one window of that side, centred
		assertEquals(List.of(new CropBox(-14, -9, 48, 48)), WindowSearch.windows(20, 30, BOX_SCALE));
	}

	@Test
	void overlappingObjectsAreOneAndTheSurerWins() {
		final PlanePosition plane = new PlanePosition(1, 1, 1, 1);
		final DetectedObject weak = object(plane, 10, 10, 50, 0.4f);
		final DetectedObject strong = object(plane, 14, 12, 50, 0.8f); // IoU with weak well above 0.3
		final DetectedObject elsewhere = object(plane, 200, 10, 50, 0.5f);
		final DetectedObject otherPlane = object(new PlanePosition(2, 1, 2, 1), 14, 12, 50, 0.3f);
		assertEquals(List.of(strong, elsewhere, otherPlane),
			WindowSearch.strongestApart(List.of(weak, elsewhere, strong, otherPlane), 5));
		assertEquals(List.of(strong), WindowSearch.strongestApart(List.of(weak, elsewhere, strong, otherPlane), 1));
		assertEquals(1.0 / 3, WindowSearch.overlap(new CropBox(0, 0, 2, 2), new CropBox(1, 0, 2, 2)), 1e-9);
		assertEquals(0, WindowSearch.overlap(new CropBox(0, 0, 2, 2), new CropBox(2, 0, 2, 2)));
	}

	/** Two keypoints at the corners of a square of {@code side} at (x, y), all of the given confidence. */
	private static DetectedObject object(final PlanePosition plane, final double x, final double y, final double side,
		final float confidence)
	{
		return new DetectedObject(new PlaneKeypoints(plane, null, new double[] { x, x + side }, new double[] { y, y + side }),
			new float[] { confidence, confidence });
	}
}
