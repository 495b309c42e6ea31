package io.github.keypointj.train;

import io.github.keypointj.KeypointException;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which keypoints a model learns: {@code all}, or 0-based indices and ranges such as {@code 52} (the
 * IMM nose tip) or {@code 0-16,27}.
 */
public final class KeypointSelection {

	private KeypointSelection() {}

	/** The chosen indices, in the order given. */
	public static int[] parse(final String specification, final int keypoints) {
		final String spec = specification == null ? "all" : specification.trim();
		if (spec.isEmpty() || spec.equalsIgnoreCase("all")) {
			final int[] all = new int[keypoints];
			for (int i = 0; i < keypoints; i++) all[i] = i;
			return all;
		}
		final Set<Integer> chosen = new LinkedHashSet<>();
		NumberRanges.parse(spec, "keypoints", spec).values().forEach(i -> {
			if (i < 0 || i >= keypoints) {
				throw new KeypointException("keypoints: index " + i + " is out of range: the stack has " + keypoints +
					" points per plane, numbered 0 to " + (keypoints - 1) + ".");
			}
			chosen.add(i);
		});
		return chosen.stream().mapToInt(Integer::intValue).toArray();
	}

	/** {@code mirror_pairs=none}: never mirrored, whatever pairs the stack declares. */
	public static final String NO_MIRROR = "none";

	/** Whether {@code mirrorPairs} switches mirroring off ({@value #NO_MIRROR}). */
	static boolean mirroringOff(final String mirrorPairs) {
		return mirrorPairs != null && mirrorPairs.trim().equalsIgnoreCase(NO_MIRROR);
	}

	/**
	 * The stack as training sees it: {@code mirrorPairs} (empty: the stack's own; {@value #NO_MIRROR}: none)
	 * declared, then only the {@code keypoints} chosen. Train and Preview Training Samples share it, so a
	 * preview shows what training does.
	 *
	 * @param warning told when the choice leaves a mirror pair half kept (the samples are then not mirrored)
	 */
	public static AnnotatedStack asTrained(final AnnotatedStack annotated, final String mirrorPairs,
		final String keypoints, final java.util.function.Consumer<String> warning)
	{
		final boolean unmirrored = mirroringOff(mirrorPairs);
		final MirrorOrder pairs = unmirrored ? null : MirrorOrder.parsePairs(mirrorPairs, annotated.keypointNames(),
			"mirror_pairs");
		final AnnotatedStack declared = unmirrored ? annotated.withMirror(null) : pairs == null ? annotated
			: annotated.withMirror(pairs);
		final AnnotatedStack stack = select(declared, parse(keypoints, declared.keypointCount()));
		if (declared.mirror() != null && stack.mirror() == null) {
			warning.accept("keypoints=" + keypoints + " leaves out the mirror partner of a point it keeps, so the samples " +
				"are not mirrored; keep both points of each pair, or give mirror_pairs for the points kept.");
		}
		return stack;
	}

	/** The stack with only the chosen keypoints, in the chosen order, and the objects that have one of them. */
	public static AnnotatedStack select(final AnnotatedStack stack, final int[] indices) {
		if (indices.length == stack.keypointCount()) {
			boolean identity = true;
			for (int i = 0; i < indices.length; i++) identity &= indices[i] == i;
			if (identity) return stack;
		}
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (final PlaneKeypoints object : stack.objects()) {
			final double[] x = new double[indices.length];
			final double[] y = new double[indices.length];
			for (int i = 0; i < indices.length; i++) {
				x[i] = object.x()[indices[i]];
				y[i] = object.y()[indices[i]];
			}
			final PlaneKeypoints chosen = new PlaneKeypoints(object.plane(), object.region(), x, y);
			// none of the chosen keypoints labelled on this plane (issue 27 case 4): nothing to learn or measure
			if (chosen.labelledCount() > 0) objects.add(chosen);
		}
		final List<String> names = new ArrayList<>();
		for (final int index : indices) names.add(stack.keypointNames().get(index));
		return new AnnotatedStack(stack.image(), objects, names, stack.unannotatedPlanes(), stack.mirror() == null ? null
			: stack.mirror().select(indices));
	}
}
