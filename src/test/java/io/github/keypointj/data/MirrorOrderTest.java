package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.keypointj.KeypointException;

import java.util.List;

import org.junit.jupiter.api.Test;

class MirrorOrderTest {

	@Test
	void pairsAsUsersWriteThem() {
		final MirrorOrder wing = MirrorOrder.parsePairs("0-4, 1-3", 5, "mirror_pairs");
		assertArrayEquals(new int[] { 4, 3, 2, 1, 0 }, wing.order(), "2 is on the axis: itself");
		assertEquals("0-4 1-3", wing.pairs());
		assertEquals(MirrorOrder.IBUG_68, MirrorOrder.parsePairs(MirrorOrder.IBUG_68.pairs(), 68, "x"));
		assertNull(MirrorOrder.parsePairs(" ", 5, "mirror_pairs"), "no pairs: never mirrored");
	}

	@Test
	void badPairsAreNamed() {
		assertEquals("mirror_pairs: '0-9' names keypoint 9, but there are 5 (0 to 4).", assertThrows(
			KeypointException.class, () -> MirrorOrder.parsePairs("0-9", 5, "mirror_pairs")).getMessage());
		assertEquals("mirror_pairs: 'left-right' names 'left', which is no keypoint's name (these keypoints have none: " +
			"give indices).", assertThrows(KeypointException.class, () -> MirrorOrder.parsePairs("left-right", 5,
				"mirror_pairs")).getMessage());
		assertEquals("mirror_pairs: '0-' is not a pair of keypoints such as 0-16 (indices) or leftear=rightear (names).",
			assertThrows(KeypointException.class, () -> MirrorOrder.parsePairs("0-", 5, "mirror_pairs")).getMessage());
		assertEquals("mirror_pairs: keypoint 1 is in more than one pair ('1-2').", assertThrows(KeypointException.class,
			() -> MirrorOrder.parsePairs("0-1 1-2", 5, "mirror_pairs")).getMessage());
	}

	/** Issue 24: left and right by name, as a biologist's keypoints are named. */
	@Test
	void pairsByName() {
		final List<String> mouse = List.of("snout", "leftear", "rightear", "tailbase", "left-paw", "right-paw");
		assertEquals("1-2 4-5", MirrorOrder.parsePairs("leftear=rightear, Left-Paw=right-paw", mouse, "mirror_pairs").pairs());
		assertEquals("1-2", MirrorOrder.parsePairs("1-2", mouse, "mirror_pairs").pairs(), "indices as ever");
		assertEquals("mirror_pairs: 'leftear=nose' names 'nose', which is no keypoint's name; the names are snout, " +
			"leftear, rightear, tailbase, left-paw, right-paw.", assertThrows(KeypointException.class,
				() -> MirrorOrder.parsePairs("leftear=nose", mouse, "mirror_pairs")).getMessage());
	}

	@Test
	void aSubsetKeepsItsPairsOrCannotBeMirrored() {
		// iBUG eye corners 36 and 45 are a pair; the nose tip 30 is on the axis
		assertArrayEquals(new int[] { 2, 1, 0 }, MirrorOrder.IBUG_68.select(new int[] { 36, 30, 45 }).order());
		assertNull(MirrorOrder.IBUG_68.select(new int[] { 36, 30 }), "the other eye corner is not chosen");
	}

	@Test
	void anOrderForAnotherNumberOfKeypointsIsRefused() {
		final ImagePlus image = new ImagePlus("spots", new ByteProcessor(8, 8));
		assertThrows(IllegalArgumentException.class, () -> new AnnotatedStack(image, List.of(), AnnotatedStack
			.numberedNames(4), 0, MirrorOrder.IBUG_68));
	}

	@Test
	void theOrderTravelsWithTheAnnotations() {
		final ImagePlus image = new ImagePlus("wings", new ByteProcessor(40, 30));
		final PlaneKeypoints points = new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(40, 30),
			new double[] { 5, 10, 20, 30, 35 }, new double[] { 5, 6, 7, 6, 5 });
		final MirrorOrder wing = MirrorOrder.parsePairs("0-4 1-3", 5, "mirror_pairs");
		AnnotatedStack.annotate(image, List.of(points), AnnotatedStack.numberedNames(5), wing);
		assertEquals(wing, AnnotatedStack.read(image, null).mirror());
	}
}
