package io.github.keypointj.train;

import io.github.keypointj.KeypointException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Numbers and ranges as users write them in a macro key: {@code 52}, {@code 0-16,27}, {@code 193-240};
 * the one reader of them, for keypoint indices ({@code keypoints=}) and slice or label numbers
 * ({@code validation=[slices 193-240]}, {@code planes=[labels 33-40]}).
 *
 * @param ranges each as {from, to} with from <= to, in the order given
 */
public record NumberRanges(List<int[]> ranges) {

	/**
	 * @param key the macro key, named in messages
	 * @param original the key's whole value, quoted in messages when it is more than {@code text}
	 * @throws KeypointException naming the part that is not a number or a range, or a text that names none
	 */
	public static NumberRanges parse(final String text, final String key, final String original) {
		final List<int[]> ranges = new ArrayList<>();
		for (final String part : text.split(",")) {
			final String range = part.trim();
			if (range.isEmpty()) continue;
			try {
				final int dash = range.indexOf('-', 1); // "-3" is a (negative) number, refused by the caller's bounds
				final int from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).trim());
				final int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).trim());
				ranges.add(new int[] { Math.min(from, to), Math.max(from, to) });
			}
			catch (final NumberFormatException e) {
				throw new KeypointException(key + ": '" + range + "'" + (original.trim().equals(range) ? "" : " in '" +
					original + "'") + " is not a number or a range.");
			}
		}
		if (ranges.isEmpty()) throw new KeypointException(key + ": '" + original + "' names no range.");
		return new NumberRanges(List.copyOf(ranges));
	}

	public boolean contains(final int value) {
		return ranges.stream().anyMatch(r -> value >= r[0] && value <= r[1]);
	}

	/** Every number, range by range in the order given, each range ascending. */
	public IntStream values() {
		return ranges.stream().flatMapToInt(r -> IntStream.rangeClosed(r[0], r[1]));
	}
}
