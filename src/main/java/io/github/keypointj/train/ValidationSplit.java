package io.github.keypointj.train;

import io.github.keypointj.KeypointException;
import io.github.keypointj.data.AnnotatedStack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which annotated objects are held out for validation:
 * <ul>
 * <li>{@code none};</li>
 * <li>a fraction such as {@code 0.2}: picked at random with the seed;</li>
 * <li>{@code slices 193-240} (ranges and single slices, comma-separated);</li>
 * <li>{@code labels 33-40}: by the number a slice label starts with, so that all images of one person
 * ("33-1m.jpg" ... "33-6m.jpg") fall on one side.</li>
 * </ul>
 */
public final class ValidationSplit {

	private static final Pattern NUMBER_PREFIX = Pattern.compile("^(\\d+)");

	private ValidationSplit() {}

	/** The indices (into {@code stack.objects()}) of the training and of the validation objects. */
	public record Split(List<Integer> training, List<Integer> validation) {}

	public static Split split(final AnnotatedStack stack, final String specification, final long seed) {
		final String spec = specification == null ? "none" : specification.trim().toLowerCase(Locale.ROOT);
		final int n = stack.objects().size();
		final List<Integer> validation = spec.equals("none") || spec.isEmpty() ? List.of()
			: chosen(stack, specification, seed, "validation");
		final boolean[] held = new boolean[n];
		for (final int i : validation) held[i] = true;
		final List<Integer> training = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			if (!held[i]) training.add(i);
		}
		if (training.isEmpty()) {
			throw new KeypointException("validation=" + specification + " leaves no planes to train on.");
		}
		if (validation.isEmpty() && !spec.equals("none") && !spec.isEmpty()) {
			throw new KeypointException("validation=" + specification + " selects no planes; use validation=none to train without validation.");
		}
		return new Split(training, validation);
	}

	/**
	 * The indices (into {@code stack.objects()}, in order) that {@code specification} picks: a fraction,
	 * {@code slices ...} or {@code labels ...}; messages name the parameter {@code key}.
	 */
	public static List<Integer> chosen(final AnnotatedStack stack, final String specification, final long seed,
		final String key)
	{
		final String spec = specification.trim().toLowerCase(Locale.ROOT);
		final int n = stack.objects().size();
		final List<Integer> chosen = new ArrayList<>();
		if (spec.startsWith("slices")) {
			final NumberRanges ranges = NumberRanges.parse(spec.substring(6), key, specification);
			for (int i = 0; i < n; i++) {
				if (ranges.contains(stack.objects().get(i).plane().stackIndex())) chosen.add(i);
			}
		}
		else if (spec.startsWith("labels")) {
			final NumberRanges ranges = NumberRanges.parse(spec.substring(6), key, specification);
			for (int i = 0; i < n; i++) {
				final String label = stack.image().getStack().getSliceLabel(stack.objects().get(i).plane().stackIndex());
				final Matcher number = NUMBER_PREFIX.matcher(label == null ? "" : label);
				if (number.find() && ranges.contains(Integer.parseInt(number.group(1)))) chosen.add(i);
			}
		}
		else {
			final double fraction = fraction(spec, specification, key);
			final List<Integer> order = new ArrayList<>();
			for (int i = 0; i < n; i++) order.add(i);
			Collections.shuffle(order, new Random(seed));
			chosen.addAll(order.subList(0, (int) Math.round(fraction * n)));
			Collections.sort(chosen);
		}
		return chosen;
	}

	private static double fraction(final String spec, final String original, final String key) {
		try {
			final double fraction = spec.endsWith("%") ? Double.parseDouble(spec.substring(0, spec.length() - 1)) / 100
				: Double.parseDouble(spec);
			if (fraction > 0 && fraction < 1) return fraction;
		}
		catch (final NumberFormatException e) {
			// reported below
		}
		throw new KeypointException(key + ": '" + original + "' is not " + (key.equals("validation") ? "none, " : "all, ") +
			"a fraction (0.2), 'slices 193-240' or 'labels 33-40'.");
	}
}
