package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;

import org.junit.jupiter.api.Test;

class NumberRangesTest {

	@Test
	void numbersAndRangesInTheOrderGiven() {
		final NumberRanges ranges = NumberRanges.parse(" 27, 3-1 ,40", "keypoints", "27, 3-1 ,40");
		assertArrayEquals(new int[] { 27, 1, 2, 3, 40 }, ranges.values().toArray());
		assertTrue(ranges.contains(2));
		assertFalse(ranges.contains(4));
	}

	@Test
	void whatIsNotANumberOrARangeIsNamedWithItsKey() {
		assertEquals("planes: 'x' in 'slices x' is not a number or a range.", assertThrows(KeypointException.class,
			() -> NumberRanges.parse(" x", "planes", "slices x")).getMessage());
		assertEquals("keypoints: '1-b' is not a number or a range.", assertThrows(KeypointException.class,
			() -> NumberRanges.parse("1-b", "keypoints", "1-b")).getMessage());
		assertEquals("validation: 'slices ,' names no range.", assertThrows(KeypointException.class,
			() -> NumberRanges.parse(",", "validation", "slices ,")).getMessage());
	}

	/** A negative number is a number: the keypoint selection refuses it as out of range, by index. */
	@Test
	void aNegativeIndexIsOutOfRangeNotUnreadable() {
		assertEquals("keypoints: index -3 is out of range: the stack has 5 points per plane, numbered 0 to 4.",
			assertThrows(KeypointException.class, () -> KeypointSelection.parse("-3", 5)).getMessage());
	}
}
