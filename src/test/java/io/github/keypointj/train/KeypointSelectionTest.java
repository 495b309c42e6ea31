package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeypointSelectionTest {

	/** A wing of five points whose annotations declare 0-4 and 1-3 as mirror pairs. */
	private static AnnotatedStack mirroredWing() {
		final ImagePlus image = new ImagePlus("wings", new ByteProcessor(40, 30));
		final PlaneKeypoints points = new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(40, 30),
			new double[] { 5, 10, 20, 30, 35 }, new double[] { 5, 6, 7, 6, 5 });
		return new AnnotatedStack(image, List.of(points), AnnotatedStack.numberedNames(5), 0,
			MirrorOrder.parsePairs("0-4 1-3", 5, "mirror_pairs"));
	}

	@Test
	void mirrorPairsAreTheStacksUnlessGivenOrSwitchedOff() {
		final List<String> warnings = new ArrayList<>();
		final AnnotatedStack wing = mirroredWing();
		assertEquals("0-4 1-3", KeypointSelection.asTrained(wing, "", "all", warnings::add).mirror().pairs(),
			"empty: the stack's own");
		assertEquals("0-4", KeypointSelection.asTrained(wing, "0-4", "all", warnings::add).mirror().pairs(), "given");
		assertNull(KeypointSelection.asTrained(wing, " None ", "all", warnings::add).mirror(),
			"none: never mirrored, though the stack declares pairs");
		assertNull(KeypointSelection.asTrained(wing, "none", "0-2", warnings::add).mirror());
		assertEquals(List.of(), warnings, "switching mirroring off leaves no pair half kept to warn about");
	}
}
