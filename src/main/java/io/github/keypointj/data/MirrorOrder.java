package io.github.keypointj.data;

import io.github.keypointj.KeypointException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which keypoint becomes which when an object is mirrored left to right: the left eye's corner becomes
 * the right eye's. Flip augmentation needs it, and it belongs to the keypoint set, not to its size: the
 * importers declare the schemes they know (iBUG's 68 points, IMM's 58), a user's own set declares its
 * pairs (Train's {@code mirror_pairs}), and a set without one is never mirrored. It travels with the
 * annotations (Roi property {@value #PROPERTY}) and with the model.
 *
 * @param order {@code order[k]} is the keypoint that point k becomes
 */
public record MirrorOrder(int[] order) {

	/** Roi property of annotations: the pairs, e.g. "0-16 1-15 ..." (0-based, points on the axis left out). */
	public static final String PROPERTY = "keypointj.mirror_pairs";

	/** iBUG 300-W, 68 points: jaw, brows, nose, eyes, outer and inner lips. */
	public static final MirrorOrder IBUG_68 = new MirrorOrder(new int[] { 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5,
		4, 3, 2, 1, 0, // jaw
		26, 25, 24, 23, 22, 21, 20, 19, 18, 17, // brows
		27, 28, 29, 30, 35, 34, 33, 32, 31, // nose
		45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, // eyes
		54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, // outer lips
		64, 63, 62, 61, 60, 67, 66, 65 }); // inner lips

	/**
	 * IMM Face Database, 58 points: jaw 0-12, eyes 13-20 and 21-28, brows 29-33 and 34-38, mouth
	 * 39-46, nose 47-57 (the tip, 52, maps to itself). Found as the nearest mirrored point, averaged
	 * over the 240 frontal faces of the database.
	 */
	public static final MirrorOrder IMM_58 = new MirrorOrder(new int[] { 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, // jaw
		21, 22, 23, 24, 25, 26, 27, 28, 13, 14, 15, 16, 17, 18, 19, 20, // eyes
		34, 35, 36, 37, 38, 29, 30, 31, 32, 33, // brows
		43, 42, 41, 40, 39, 46, 45, 44, // mouth
		57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47 }); // nose

	public MirrorOrder {
		order = order.clone();
	}

	@Override
	public int[] order() {
		return order.clone();
	}

	public int keypointCount() {
		return order.length;
	}

	/** Where point {@code k} goes. */
	public int mirrorOf(final int k) {
		return order[k];
	}

	/**
	 * Models saved before the order was stored: the scheme their keypoint count suggested then, as they
	 * were trained (68 points: iBUG, 58: IMM), else none.
	 */
	public static MirrorOrder guessedFromCount(final int keypoints) {
		return keypoints == 68 ? IBUG_68 : keypoints == 58 ? IMM_58 : null;
	}

	/** {@link #parsePairs(String, List, String)} for keypoints without names: pairs of indices. */
	public static MirrorOrder parsePairs(final String pairs, final int keypoints, final String key) {
		return parsePairs(pairs, java.util.Collections.nCopies(keypoints, ""), key);
	}

	/**
	 * Reads pairs as users write them: "0-16 1-15" (or with commas), 0-based keypoint indices, or by name,
	 * "leftear=rightear" (a name as the keypoint has it, any case); points in no pair stay themselves.
	 *
	 * @param names the keypoints' names, one per keypoint
	 * @param key what to name in messages (a macro key or the property)
	 * @return the order, or null for an empty text (no mirroring)
	 * @throws KeypointException naming the pair that is not two keypoints, is out of range, or repeats a point
	 */
	public static MirrorOrder parsePairs(final String pairs, final List<String> names, final String key) {
		if (pairs == null || pairs.isBlank()) return null;
		final int keypoints = names.size();
		final int[] order = new int[keypoints];
		for (int k = 0; k < keypoints; k++) order[k] = k;
		final boolean[] paired = new boolean[keypoints];
		for (final String pair : pairs.trim().split("[\\s,]+")) {
			final String[] ends = pair.split(pair.contains("=") ? "=" : "-");
			if (ends.length != 2 || ends[0].isEmpty() || ends[1].isEmpty()) {
				throw new KeypointException(key + ": '" + pair + "' is not a pair of keypoints such as 0-16 (indices) or " +
					"leftear=rightear (names).");
			}
			final int a = keypoint(ends[0], names, pair, key), b = keypoint(ends[1], names, pair, key);
			for (final int end : new int[] { a, b }) {
				if (paired[end] || a == b) {
					throw new KeypointException(key + ": keypoint " + end + " is in more than one pair ('" + pair + "').");
				}
				paired[end] = true;
			}
			order[a] = b;
			order[b] = a;
		}
		return new MirrorOrder(order);
	}

	/** One end of a pair: a 0-based index, or a keypoint's name. */
	private static int keypoint(final String end, final List<String> names, final String pair, final String key) {
		try {
			final int index = Integer.parseInt(end);
			if (index < 0 || index >= names.size()) {
				throw new KeypointException(key + ": '" + pair + "' names keypoint " + index + ", but there are " +
					names.size() + " (0 to " + (names.size() - 1) + ").");
			}
			return index;
		}
		catch (final NumberFormatException notAnIndex) {
			for (int k = 0; k < names.size(); k++) if (names.get(k).equalsIgnoreCase(end)) return k;
			throw new KeypointException(key + ": '" + pair + "' names '" + end + "', which is no keypoint's name" +
				(names.stream().allMatch(String::isEmpty) ? " (these keypoints have none: give indices)" : "; the names are " +
					String.join(", ", names)) + ".");
		}
	}

	/** The pairs, as {@link #parsePairs} reads them. */
	public String pairs() {
		final List<String> pairs = new ArrayList<>();
		for (int k = 0; k < order.length; k++) {
			if (order[k] > k) pairs.add(k + "-" + order[k]);
		}
		return String.join(" ", pairs);
	}

	/**
	 * The order among the chosen keypoints only (Train's {@code keypoints=}), or null when a chosen point's
	 * partner is not chosen: such a set cannot be mirrored.
	 */
	public MirrorOrder select(final int[] chosen) {
		final int[] order = new int[chosen.length];
		for (int i = 0; i < chosen.length; i++) {
			final int partner = this.order[chosen[i]];
			order[i] = -1;
			for (int j = 0; j < chosen.length; j++) {
				if (chosen[j] == partner) order[i] = j;
			}
			if (order[i] < 0) return null;
		}
		return new MirrorOrder(order);
	}

	@Override
	public boolean equals(final Object other) {
		return other instanceof MirrorOrder && Arrays.equals(order, ((MirrorOrder) other).order);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(order);
	}

	@Override
	public String toString() {
		return pairs();
	}
}
