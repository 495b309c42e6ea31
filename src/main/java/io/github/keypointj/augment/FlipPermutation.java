package io.github.keypointj.augment;

/**
 * Which keypoint becomes which when a face is mirrored left to right, for the point schemes KeypointJ
 * knows; unknown schemes are not flipped.
 */
public final class FlipPermutation {

	/** iBUG 300-W, 68 points: jaw, brows, nose, eyes, outer and inner lips. */
	static final int[] IBUG_68 = { 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, // jaw
		26, 25, 24, 23, 22, 21, 20, 19, 18, 17, // brows
		27, 28, 29, 30, 35, 34, 33, 32, 31, // nose
		45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, // eyes
		54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, // outer lips
		64, 63, 62, 61, 60, 67, 66, 65 }; // inner lips

	/**
	 * IMM Face Database, 58 points: jaw 0-12, eyes 13-20 and 21-28, brows 29-33 and 34-38, mouth
	 * 39-46, nose 47-57 (the tip, 52, maps to itself). Found as the nearest mirrored point, averaged
	 * over the 240 frontal faces of the database.
	 */
	static final int[] IMM_58 = { 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, // jaw
		21, 22, 23, 24, 25, 26, 27, 28, 13, 14, 15, 16, 17, 18, 19, 20, // eyes
		34, 35, 36, 37, 38, 29, 30, 31, 32, 33, // brows
		43, 42, 41, 40, 39, 46, 45, 44, // mouth
		57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47 }; // nose

	private FlipPermutation() {}

	/** The mirror order for {@code keypoints} points, or null when the scheme is unknown. */
	public static int[] forKeypointCount(final int keypoints) {
		if (keypoints == 68) return IBUG_68.clone();
		if (keypoints == 58) return IMM_58.clone();
		return null;
	}
}
