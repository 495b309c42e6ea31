package io.github.keypointj.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.io.File;
import java.nio.file.Path;

import org.scijava.ItemIO;
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

	@Parameter(label = "Overwrite the table files", description = "Replace existing table files", persist = false)
	private boolean overwrite = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, persist = false)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus best_and_worst;

	@Override
	public void run() {
		try {
			Images.requireOpen(imp);
			if (model == null) throw new KeypointException("model: no model file given.");
			final Path csv = OutputFile.given(csv_file);
			final Path summaryCsv = OutputFile.given(summary_file);
			if (csv != null) OutputFile.requireWritable(csv, overwrite, "csv_file");
			if (summaryCsv != null) OutputFile.requireWritable(summaryCsv, overwrite, "summary_file");
			try (KeypointModel loaded = ModelFile.load(model.toPath(), KeypointEngine.devices(DeviceChoice.parse(device))[0])) {
				final AnnotatedStack stack = Evaluation.select(AnnotatedStack.read(imp, null), loaded.description(), planes);
				final Evaluation evaluation = Evaluation.of(loaded, stack, UserFeedback.progress(this));
				final ResultsTable table = evaluation.table(imp);
				if (csv != null) OutputFile.save(table, csv, "csv_file");
				final ResultsTable summary = evaluation.summaryTable(loaded.description().name());
				if (summaryCsv != null) OutputFile.save(summary, summaryCsv, "summary_file");
				UserFeedback.show(summary, SUMMARY);
				UserFeedback.show(table, TABLE); // last: headless, the per-plane table is the one left in Results
				final double[][] figures = evaluation.summary();
				UserFeedback.info(String.format("%s on '%s' (%d objects): mean error %.2f px, median %.2f px, MAE %.2f px; " +
					"mean shape: %.2f px", loaded.description().name(), imp.getTitle(), stack.objects().size(), figures[0][0],
					figures[0][1], figures[0][2], figures[1][0]));
				final double[][] original = evaluation.originalSummary();
				if (original != null) {
					UserFeedback.info(String.format("in the original images: mean error %.2f px, MAE %.2f px; mean shape: %.2f px, " +
						"MAE %.2f px", original[0][0], original[0][2], original[1][0], original[1][2]));
				}
				if (!Double.isNaN(figures[0][3])) {
					UserFeedback.info(String.format("NME %.2f %% of the inter-ocular distance; mean shape %.2f %%", figures[0][3],
						figures[1][3]));
				}
				if (examples > 0) best_and_worst = evaluation.bestAndWorst(imp, examples);
			}
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
