package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.KeypointTable;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.OutputFile;

import java.io.File;
import java.util.function.Predicate;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Detect Keypoints: runs a model on the active image and puts one point selection
 * per object and plane into its overlay.
 * <p>
 * Macro: {@code run("Detect Keypoints", "model=[/path/m.zip] all_slices=true region=[whole image] show_table=true");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Detect Keypoints",
	description = "Detect keypoints with a trained model and add them to the image's overlay")
public class DetectKeypoints extends ContextCommand implements DialogDefaults {

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "Model file", description = "A KeypointJ model (.zip)", style = "open")
	private File model;

	@Parameter(label = "Process all slices", description = "Every plane, or only the one on view", persist = false)
	private boolean all_slices = true;

	@Parameter(label = "Region", choices = { "whole image", "selection", "boxes in overlay" }, persist = false,
		description = "Where the objects are: the whole image, the selection, or each rectangle in the overlay")
	private String region = Region.WHOLE_IMAGE.label();

	@Parameter(label = "Show table", description = "A 'Keypoints' table with one row per point", persist = false)
	private boolean show_table = true;

	@Parameter(label = "Save CSV to", description = "Optional: also write the table to this file", style = "save",
		required = false, persist = false, autoFill = false)
	private File csv_file;

	@Parameter(label = "Overwrite the CSV file", description = "Replace an existing CSV file", persist = false)
	private boolean overwrite = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, persist = false)
	private String device = DeviceChoice.AUTO.label();

	@Parameter(label = "Self-refining rounds", min = "0", persist = false,
		description = "Models trained on crops around boxes: re-crop around the points found (heatmap models in boxes too)")
	private int refine_rounds = KeypointDetector.DEFAULT_REFINE_ROUNDS;

	@Parameter(label = "Minimum object score", min = "0", max = "1", persist = false, stepSize = "0.05",
		description = "Models with an object stage, on the whole image: the score (0-1) an object needs to be kept; " +
			"0: the model's own threshold, chosen on held-out photos")
	private double min_confidence = DetectionRequest.DEFAULT_MIN_CONFIDENCE;

	@Parameter(label = "Average with the mirror image", persist = false,
		description = "Keypoint sets with mirror pairs: each object's points are the mean of the model's on it and on its " +
			"mirror image, about 0.07 points of NME better on faces (docs/RESULTS.md), twice the inference; off: as the " +
			"model file says")
	private boolean mirror_average = false;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Detect Keypoints", "Detect Keypoints");

	/** An area the user has drawn is where to look; a macro that leaves region out gets the whole image. */
	@Override
	public void startDialog(final Predicate<String> unset) {
		if (unset.test("region") && imp != null && imp.getRoi() != null && imp.getRoi().isArea()) {
			region = Region.SELECTION.label();
		}
	}

	@Override
	public void run() {
		final Progress progress = UserFeedback.progress(this);
		try {
			final DetectionRequest request = new DetectionRequest(model == null ? null : model.toPath(), all_slices,
				Region.fromLabel(region), DeviceChoice.parse(device), refine_rounds,
				OutputFile.given(csv_file), overwrite, min_confidence, mirror_average);
			final DetectionResult result = Detection.run(imp, request, progress);
			if (result.canceled()) {
				UserFeedback.info("Detect Keypoints cancelled; the image was not changed.");
				return;
			}
			if (show_table) UserFeedback.show(KeypointTable.of(imp, result), KeypointTable.TITLE);
			final String confidence = result.confidenceSummary(DetectionResult.DOUBTFUL_CONFIDENCE);
			UserFeedback.info("found " + result.objects().size() + " keypoint set(s) on '" + imp.getTitle() +
				"' with " + model.getName() + (confidence == null ? "." : " (" + confidence + ")."));
			for (final String note : result.notes()) UserFeedback.info(note);
			for (final String rejected : result.rejected()) {
				UserFeedback.info("no keypoints written on " + rejected + " (NaN or extreme pixel values in that plane, " +
					"or a damaged model?)");
			}
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
