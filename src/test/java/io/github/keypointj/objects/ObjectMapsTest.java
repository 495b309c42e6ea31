package io.github.keypointj.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.data.CropBox;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The object stage's maps, both ways: targets written for boxes are read back as those boxes. */
class ObjectMapsTest {

	private static final int SIDE = 128;

	@Test
	void peaksOfTheTargetsAreTheBoxes() {
		final List<CropBox> boxes = List.of(new CropBox(10, 20, 30, 40), new CropBox(70, 60, 50, 45),
			new CropBox(100, 5, 9, 8));
		final float[] maps = asLogits(boxes);
		final List<ObjectMaps.Peak> peaks = ObjectMaps.peaks(maps, 0, SIDE, 0.5, 10);
		assertEquals(3, peaks.size());
		for (final CropBox box : boxes) {
			final ObjectMaps.Peak peak = peaks.stream().min((a, b) -> Double.compare(centreDistance(a.box(), box),
				centreDistance(b.box(), box))).orElseThrow();
			// The centre within its cell, the size exact.
			assertTrue(centreDistance(peak.box(), box) <= ObjectMaps.STRIDE, peak.box() + " for " + box);
			assertEquals(box.width(), peak.box().width(), 1e-3);
			assertEquals(box.height(), peak.box().height(), 1e-3);
			assertTrue(peak.score() > 0.99);
		}
	}

	@Test
	void aBoxWhoseCentreIsOutsideTheInputIsNoTarget() {
		final float[] targets = new float[ObjectMaps.targetSize(SIDE)];
		ObjectMaps.writeTargets(List.of(new CropBox(-40, 10, 60, 30)), SIDE, targets, 0);
		final int cells = SIDE / ObjectMaps.STRIDE;
		double centres = 0;
		for (int i = 0; i < cells * cells; i++) centres += targets[3 * cells * cells + i];
		assertEquals(0, centres);
		assertTrue(ObjectMaps.peaks(asLogits(List.of(new CropBox(-40, 10, 60, 30))), 0, SIDE, 0.5, 10).isEmpty());
	}

	@Test
	void aWeakerBoxInsideOrOverlappingAStrongerOneIsTheSameObject() {
		final ObjectMaps.Peak face = new ObjectMaps.Peak(new CropBox(0, 0, 100, 100), 0.9);
		final ObjectMaps.Peak inside = new ObjectMaps.Peak(new CropBox(30, 40, 30, 30), 0.6); // a "face inside the face"
		final ObjectMaps.Peak shifted = new ObjectMaps.Peak(new CropBox(20, 10, 100, 100), 0.5);
		final ObjectMaps.Peak apart = new ObjectMaps.Peak(new CropBox(150, 0, 80, 80), 0.4);
		assertEquals(List.of(face, apart), ObjectFinder.distinct(List.of(inside, apart, shifted, face), ObjectMaps.Peak::box,
			ObjectMaps.Peak::score));
	}

	/** Maps a perfect stage would give: the targets' heat as logits, sizes as they are. */
	private static float[] asLogits(final List<CropBox> boxes) {
		final float[] targets = new float[ObjectMaps.targetSize(SIDE)];
		ObjectMaps.writeTargets(boxes, SIDE, targets, 0);
		final int plane = (SIDE / ObjectMaps.STRIDE) * (SIDE / ObjectMaps.STRIDE);
		final float[] maps = new float[3 * plane];
		for (int i = 0; i < plane; i++) {
			final double heat = Math.min(0.9999, Math.max(1e-4, targets[i]));
			maps[i] = (float) Math.log(heat / (1 - heat));
		}
		System.arraycopy(targets, plane, maps, plane, 2 * plane);
		return maps;
	}

	private static double centreDistance(final CropBox a, final CropBox b) {
		return Math.hypot(a.x() + a.width() / 2 - b.x() - b.width() / 2, a.y() + a.height() / 2 - b.y() - b.height() / 2);
	}
}
