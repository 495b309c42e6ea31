package io.github.keypointj.eval;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Images;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

/**
 * Evaluate Keypoint Model without any user interface: checks, loads the model, measures it on the
 * annotated planes asked for, and writes the tables asked for. Scripts may call it directly.
 */
public final class EvaluationRun {

	/**
	 * What Evaluate Keypoint Model measured.
	 *
	 * @param model the description of the model measured
	 * @param evaluation errors per object; {@link Evaluation#summary()} for the figures
	 * @param table one row per object ({@link Evaluation#table})
	 * @param summaryTable the model beside the mean-shape baseline ({@link Evaluation#summaryTable})
	 * @param bestAndWorst the best and worst objects, or null when none were asked for
	 * @param canceled whether the user stopped it: then nothing was measured in full, nothing is written
	 *   and all else is null
	 * @param search with {@code search=true}: what was found on the whole planes ({@code evaluation} and
	 *   {@code bestAndWorst} are then null; the tables are the search's); else null
	 * @param keypointTable one row per keypoint ({@link Evaluation#keypointTable}); null with {@code search}
	 */
	public record Result(ModelDescription model, Evaluation evaluation, ResultsTable table, ResultsTable summaryTable,
		ImagePlus bestAndWorst, boolean canceled, SearchEvaluation search, ResultsTable keypointTable)
	{

		/** Nothing measured: the user stopped it. */
		static Result canceled(final ModelDescription model) {
			return new Result(model, null, null, null, null, true, null, null);
		}
	}

	private EvaluationRun() {}

	/**
	 * Measures the request's model on the annotated planes of {@code image}. The files are checked before
	 * the model is loaded, and written only once everything is measured.
	 *
	 * @throws KeypointException with a message for the user when the input is wrong
	 */
	public static Result run(final ImagePlus image, final EvaluationRequest request, final Progress progress) {
		Images.requireOpen(image);
		if (request.model() == null) throw new KeypointException("model: no model file given.");
		if (request.csvFile() != null) OutputFile.requireWritable(request.csvFile(), request.overwrite(), "csv_file");
		if (request.summaryFile() != null) {
			OutputFile.requireWritable(request.summaryFile(), request.overwrite(), "summary_file");
		}
		if (request.keypointFile() != null && request.search()) {
			throw new KeypointException("keypoint_file: the per-keypoint table is measured in the annotated boxes; leave " +
				"it empty with search=true.");
		}
		if (request.keypointFile() != null) {
			OutputFile.requireWritable(request.keypointFile(), request.overwrite(), "keypoint_file");
		}
		try (KeypointModel model = ModelFile.load(request.model(), KeypointEngine.devices(request.device())[0])) {
			final AnnotatedStack stack = Evaluation.select(AnnotatedStack.read(image, null), model.description(),
				request.planes());
			if (request.search()) {
				final SearchEvaluation search = SearchEvaluation.of(new KeypointDetector(model, request.mirrorAverage()), stack,
					progress);
				if (progress.isCanceled()) return Result.canceled(model.description());
				final ResultsTable table = search.table(image);
				final ResultsTable summary = search.summaryTable(model.description().name());
				save(request, table, summary, null);
				return new Result(model.description(), null, table, summary, null, false, search, null);
			}
			Images.requireFinitePixels(stack.image(), stack.objectPlanes(), "evaluate");
			final Evaluation evaluation = Evaluation.of(new KeypointDetector(model, request.mirrorAverage()), stack, progress);
			// figures of the planes reached so far would pass for the model's: none at all
			if (progress.isCanceled()) return Result.canceled(model.description());
			final ResultsTable table = evaluation.table(image);
			final ResultsTable summary = evaluation.summaryTable(model.description().name());
			final ResultsTable keypoints = evaluation.keypointTable(model.description().keypointNames());
			save(request, table, summary, keypoints);
			return new Result(model.description(), evaluation, table, summary,
				request.examples() > 0 ? evaluation.bestAndWorst(image, request.examples()) : null, false, null, keypoints);
		}
	}

	/** Writes the tables to the files the request names, if any. */
	private static void save(final EvaluationRequest request, final ResultsTable table, final ResultsTable summary,
		final ResultsTable keypoints)
	{
		if (request.csvFile() != null) OutputFile.save(table, request.csvFile(), "csv_file");
		if (request.summaryFile() != null) OutputFile.save(summary, request.summaryFile(), "summary_file");
		if (request.keypointFile() != null && keypoints != null) {
			OutputFile.save(keypoints, request.keypointFile(), "keypoint_file");
		}
	}
}
