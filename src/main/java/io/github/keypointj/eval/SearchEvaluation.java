package io.github.keypointj.eval;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.objects.ObjectFinder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A model measured as Detect runs it on whole planes, without the annotated boxes: its object stage
 * finds the objects, the keypoint network places their points. Each annotated object is found when a
 * detection's keypoint box overlaps its own by more than {@value #MATCH_OVERLAP} (intersection over union;
 * detections are matched strongest first, each to one object); a detection that matches none is extra
 * (an unannotated object, a duplicate, or a false one). Kept are all detections scoring at least
 * {@value #LOWEST_SCORE}, so that found and extra can be counted at any threshold above it.
 *
 * @param truth the annotated objects
 * @param detections every detection on the annotated planes, strongest first
 * @param matches per detection, the index of the object it found in {@code truth}, or -1
 * @param threshold the model's own object score threshold
 */
public record SearchEvaluation(List<PlaneKeypoints> truth, List<DetectedObject> detections, int[] matches,
	double threshold)
{

	/** The overlap of keypoint boxes that makes a detection the annotated object. */
	static final double MATCH_OVERLAP = 0.5;
	/** The lowest object score looked at. */
	static final double LOWEST_SCORE = 0.05;

	/** Detects on every annotated plane of {@code stack} as Detect does on the whole image, and matches. */
	public static SearchEvaluation of(final KeypointModel model, final AnnotatedStack stack, final Progress progress) {
		return of(new KeypointDetector(model), stack, progress);
	}

	/** As {@link #of(KeypointModel, AnnotatedStack, Progress)}, with the detector's model and its way of inferring. */
	public static SearchEvaluation of(final KeypointDetector detector, final AnnotatedStack stack, final Progress progress) {
		final KeypointModel model = detector.model();
		if (model.objectStage() == null) {
			throw new KeypointException("search=true: the model " + model.description().name() + " has no object stage " +
				"to find objects with; train one (Train Keypoint Model, object_stage=true), or evaluate in the annotated boxes.");
		}
		final Set<PlanePosition> planes = new LinkedHashSet<>();
		for (final PlaneKeypoints object : stack.objects()) planes.add(object.plane());
		final List<DetectedObject> found = detector.find(stack.image(), new ArrayList<>(planes),
			KeypointDetector.DEFAULT_REFINE_ROUNDS, LOWEST_SCORE, false, progress);
		return match(stack.objects(), found, model.objectStage().description().threshold());
	}

	/**
	 * Matches {@code detections} (any tool's: their scores decide the order) to the annotated objects
	 * {@code truth}, strongest first, each to the object on its plane it overlaps most.
	 */
	public static SearchEvaluation match(final List<PlaneKeypoints> truth, final List<DetectedObject> detections,
		final double threshold)
	{
		final List<DetectedObject> found = new ArrayList<>(detections);
		found.sort(Comparator.comparingDouble(DetectedObject::score).reversed());
		final int[] matches = new int[found.size()];
		final boolean[] taken = new boolean[truth.size()];
		for (int d = 0; d < found.size(); d++) {
			matches[d] = -1;
			double best = MATCH_OVERLAP;
			final PlaneKeypoints points = found.get(d).points();
			for (int t = 0; t < taken.length; t++) {
				final PlaneKeypoints object = truth.get(t);
				if (taken[t] || !object.plane().equals(points.plane())) continue;
				final double overlap = ObjectFinder.overlap(box(points), box(object));
				if (overlap > best) {
					best = overlap;
					matches[d] = t;
				}
			}
			if (matches[d] >= 0) taken[matches[d]] = true;
		}
		return new SearchEvaluation(List.copyOf(truth), List.copyOf(found), matches, threshold);
	}

	/** The evaluations of several images (e.g. photos of other sizes, one at a time) as one. */
	public static SearchEvaluation combine(final List<SearchEvaluation> parts) {
		final List<PlaneKeypoints> truth = new ArrayList<>();
		final List<DetectedObject> detections = new ArrayList<>();
		final List<Integer> matched = new ArrayList<>();
		for (final SearchEvaluation part : parts) {
			for (int d = 0; d < part.detections.size(); d++) {
				detections.add(part.detections.get(d));
				matched.add(part.matches[d] < 0 ? -1 : truth.size() + part.matches[d]);
			}
			truth.addAll(part.truth);
		}
		final Integer[] order = new Integer[detections.size()];
		for (int i = 0; i < order.length; i++) order[i] = i;
		java.util.Arrays.sort(order, Comparator.comparingDouble(i -> -detections.get(i).score()));
		final List<DetectedObject> sorted = new ArrayList<>();
		final int[] matches = new int[order.length];
		for (int i = 0; i < order.length; i++) {
			sorted.add(detections.get(order[i]));
			matches[i] = matched.get(order[i]);
		}
		return new SearchEvaluation(truth, sorted, matches, parts.isEmpty() ? Double.NaN : parts.get(0).threshold);
	}

	private static CropBox box(final PlaneKeypoints points) {
		return CropBox.around(points.x(), points.y());
	}

	/** How many annotated objects were found by detections scoring at least {@code score}. */
	public int found(final double score) {
		int found = 0;
		for (int d = 0; d < detections.size() && detections.get(d).score() >= score; d++) {
			if (matches[d] >= 0) found++;
		}
		return found;
	}

	/** How many detections scoring at least {@code score} are no annotated object. */
	public int extra(final double score) {
		int extra = 0;
		for (int d = 0; d < detections.size() && detections.get(d).score() >= score; d++) {
			if (matches[d] < 0) extra++;
		}
		return extra;
	}

	/** The errors of the objects found by detections scoring at least {@code score}. */
	public List<PointErrors> errors(final double score) {
		final List<PointErrors> errors = new ArrayList<>();
		for (int d = 0; d < detections.size() && detections.get(d).score() >= score; d++) {
			if (matches[d] >= 0) errors.add(PointErrors.of(detections.get(d).points(), truth.get(matches[d])));
		}
		return errors;
	}

	/** What was found at the model's threshold, in a sentence. */
	public String describe() {
		final int found = found(threshold);
		final ErrorSummary errors = ErrorSummary.of(errors(threshold));
		return String.format(java.util.Locale.ROOT, "found %d of %d annotated objects (missed %d), %d extra, at object " +
			"score %.2f; mean error of those found %.2f px%s%s", found, truth.size(), truth.size() - found, extra(threshold),
			threshold, errors.meanError(), errors.hasNme() ? String.format(java.util.Locale.ROOT, ", NME %.2f %%",
				errors.nme()) : "", PointErrors.missingNote(truth));
	}

	/** Found, missed and extra objects and the errors of those found, at the model's threshold: one row. */
	public ResultsTable summaryTable(final String modelName) {
		final ResultsTable table = new ResultsTable();
		table.incrementCounter();
		addRow(table, modelName, threshold);
		return table;
	}

	/**
	 * Precision and recall over the object score: a row per threshold from {@value #LOWEST_SCORE} to 0.95,
	 * what a user chooses a threshold by.
	 */
	public ResultsTable curve() {
		final ResultsTable table = new ResultsTable();
		for (int step = 1; step <= 19; step++) {
			table.incrementCounter();
			addRow(table, "", step * 0.05);
		}
		return table;
	}

	private void addRow(final ResultsTable table, final String modelName, final double score) {
		final int found = found(score), extra = extra(score);
		if (!modelName.isEmpty()) table.addValue("Model", modelName);
		table.addValue("Threshold", score);
		table.addValue("Objects", truth.size());
		table.addValue("Found", found);
		table.addValue("Missed", truth.size() - found);
		table.addValue("Extra", extra);
		table.addValue("Recall", truth.isEmpty() ? Double.NaN : found / (double) truth.size());
		table.addValue("Precision", found + extra == 0 ? Double.NaN : found / (double) (found + extra));
		final ErrorSummary errors = ErrorSummary.of(errors(score));
		table.addValue("Mean error of found (px)", errors.meanError());
		if (errors.hasNme()) table.addValue("NME of found (%)", errors.nme());
	}

	/**
	 * Per detection scoring at least the threshold: slice, label, score, and the object it found with its
	 * error; then a row per annotated object none of them found.
	 */
	public ResultsTable table(final ImagePlus image) {
		final ResultsTable table = new ResultsTable();
		for (int d = 0; d < detections.size() && detections.get(d).score() >= threshold; d++) {
			final PlaneKeypoints points = detections.get(d).points();
			final String label = image.getStack().getSliceLabel(points.plane().stackIndex());
			table.incrementCounter();
			table.addValue("Slice", points.plane().stackIndex());
			table.addValue("Label", label == null ? "" : label);
			table.addValue("Score", detections.get(d).score());
			table.addValue("Annotated object", matches[d] >= 0 ? "yes" : "no (extra)");
			if (matches[d] >= 0) {
				final PointErrors errors = PointErrors.of(points, truth.get(matches[d]));
				table.addValue("Error (px)", errors.meanError());
				if (!Double.isNaN(errors.nme())) table.addValue("NME (%)", errors.nme());
			}
		}
		final boolean[] found = new boolean[truth.size()];
		for (int d = 0; d < detections.size() && detections.get(d).score() >= threshold; d++) {
			if (matches[d] >= 0) found[matches[d]] = true;
		}
		for (int t = 0; t < truth.size(); t++) {
			if (found[t]) continue;
			final int slice = truth.get(t).plane().stackIndex();
			final String label = image.getStack().getSliceLabel(slice);
			table.incrementCounter();
			table.addValue("Slice", slice);
			table.addValue("Label", label == null ? "" : label);
			table.addValue("Score", Double.NaN);
			table.addValue("Annotated object", "missed");
		}
		return table;
	}
}
