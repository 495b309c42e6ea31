package io.github.keypointj.eval;

import io.github.keypointj.engine.DeviceChoice;

import java.nio.file.Path;

/**
 * What a user asks of Evaluate Keypoint Model.
 *
 * @param model the model file
 * @param planes {@code all}, {@code slices 193-240} or {@code labels 33-40} ({@link Evaluation#select})
 * @param examples how many best and how many worst objects to show; 0 for none
 * @param csvFile where to write the per-object table too, or null
 * @param summaryFile where to write the summary table too, or null
 * @param overwrite whether those files may replace existing ones
 * @param device where the network runs
 * @param search find the objects as Detect does on whole planes, with the model's object stage, instead
 *        of placing the points in the annotated boxes ({@link SearchEvaluation})
 * @param keypointFile where to write the per-keypoint table too ({@link Evaluation#keypointTable}), or null
 * @param mirrorAverage whether each object's points are the mean of the model's on it and on its mirror
 *        image (twice the inference; {@link io.github.keypointj.detect.KeypointDetector}); false: as the model
 *        file says
 */
public record EvaluationRequest(Path model, String planes, int examples, Path csvFile, Path summaryFile,
	boolean overwrite, DeviceChoice device, boolean search, Path keypointFile, boolean mirrorAverage)
{

	/** As the model file says about the average with the mirror image. */
	public EvaluationRequest(final Path model, final String planes, final int examples, final Path csvFile,
		final Path summaryFile, final boolean overwrite, final DeviceChoice device, final boolean search,
		final Path keypointFile)
	{
		this(model, planes, examples, csvFile, summaryFile, overwrite, device, search, keypointFile, false);
	}

	/** Without a per-keypoint file. */
	public EvaluationRequest(final Path model, final String planes, final int examples, final Path csvFile,
		final Path summaryFile, final boolean overwrite, final DeviceChoice device, final boolean search)
	{
		this(model, planes, examples, csvFile, summaryFile, overwrite, device, search, null);
	}

	/** Every annotated plane, on a GPU when there is one; no files, no examples. */
	public EvaluationRequest(final Path model) {
		this(model, "all", 0, null, null, false, DeviceChoice.AUTO);
	}

	/** In the annotated boxes. */
	public EvaluationRequest(final Path model, final String planes, final int examples, final Path csvFile,
		final Path summaryFile, final boolean overwrite, final DeviceChoice device)
	{
		this(model, planes, examples, csvFile, summaryFile, overwrite, device, false);
	}
}
