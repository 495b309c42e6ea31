package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.eval.PointErrors;
import io.github.keypointj.io.OutputFile;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Evaluate Keypoint Model: a model against the annotations of the active stack. A
 * table per object (error, MAE, NME for 68-point faces), a summary against the mean-shape baseline,
 * and the best and worst examples with truth (green) and prediction (red).
 * <p>
 * Macro: {@code run("Evaluate Keypoint Model", "model=[/models/face.zip] planes=all examples=4 csv_file=[] summary_file=[] device=auto");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Evaluate Keypoint Model",
	description = "Measure a model on the annotations of the active stack")
public class EvaluateKeypointModel extends ContextCommand {

	public static final String TABLE = "Keypoint evaluation";
	public static final String SUMMARY = "Keypoint evaluation summary";
	public static final String SCORES = "Keypoint evaluation by object score";
	public static final String KEYPOINTS = "Keypoint evaluation by keypoint";

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "Model file", style = "open")
	private File model;

	@Parameter(label = "Planes", description = "all, slices 193-240, or labels 33-40 (e.g. the validation persons)",
		persist = false)
	private String planes = "all";

	@Parameter(label = "Best and worst examples (each)", min = "0", persist = false)
	private int examples = 4;

	@Parameter(label = "Save the per-plane table to", style = "save", required = false, persist = false, autoFill = false)
	private File csv_file;

	@Parameter(label = "Save the summary to", style = "save", required = false, persist = false, autoFill = false)
	private File summary_file;

	@Parameter(label = "Save the per-keypoint table to", style = "save", required = false, persist = false,
		autoFill = false)
	private File keypoint_file;

	@Parameter(label = "Overwrite the table files", description = "Replace existing table files", persist = false)
	private boolean overwrite = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, persist = false)
	private String device = "auto";

	@Parameter(label = "Find the objects as Detect does", persist = false,
		description = "Models with an object stage: look for the objects on the whole planes, without the annotated " +
			"boxes, and count found, missed and extra objects")
	private boolean search = false;

	@Parameter(label = "Average with the mirror image", persist = false,
		description = "Keypoint sets with mirror pairs: each object's points are the mean of the model's on it and on its " +
			"mirror image, about 0.07 points of NME better on faces (docs/RESULTS.md), twice the inference; off: as the " +
			"model file says")
	private boolean mirror_average = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus best_and_worst;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Evaluation and the report's figures", "Evaluate Keypoint Model");

	@Override
	public void run() {
		try {
			final EvaluationRequest request = new EvaluationRequest(model == null ? null : model.toPath(), planes, examples,
				OutputFile.given(csv_file), OutputFile.given(summary_file), overwrite, DeviceChoice.parse(device), search,
				OutputFile.given(keypoint_file), mirror_average);
			final EvaluationRun.Result result = EvaluationRun.run(imp, request, UserFeedback.progress(this));
			if (result.canceled()) {
				UserFeedback.info("Evaluate Keypoint Model cancelled; no figures, nothing was written.");
				return;
			}
			UserFeedback.show(result.summaryTable(), SUMMARY);
			if (result.search() != null) {
				UserFeedback.show(result.search().curve(), SCORES);
				UserFeedback.show(result.table(), TABLE);
				UserFeedback.info(result.model().name() + " on '" + imp.getTitle() + "': " + result.search().describe());
				return;
			}
			UserFeedback.show(result.keypointTable(), KEYPOINTS);
			UserFeedback.show(result.table(), TABLE); // last: headless, the per-plane table is the one left in Results
			final Evaluation.Summary summary = result.evaluation().summary();
			UserFeedback.info(String.format("%s on '%s' (%d objects): mean error %.2f px, median %.2f px, MAE %.2f px; " +
				"mean shape: %.2f px%s", result.model().name(), imp.getTitle(), result.evaluation().truth().size(),
				summary.model().meanError(), summary.model().medianError(), summary.model().mae(),
				summary.meanShape().meanError(), PointErrors.missingNote(result.evaluation().truth())));
			final Evaluation.Summary original = result.evaluation().originalSummary();
			if (original != null) {
				UserFeedback.info(String.format("in the original images: mean error %.2f px, MAE %.2f px; mean shape: %.2f px, " +
					"MAE %.2f px", original.model().meanError(), original.model().mae(), original.meanShape().meanError(),
					original.meanShape().mae()));
			}
			if (summary.model().hasNme()) {
				UserFeedback.info(String.format("NME %.2f %% of the inter-ocular distance; mean shape %.2f %%",
					summary.model().nme(), summary.meanShape().nme()));
			}
			best_and_worst = result.bestAndWorst();
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
