package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.detect.KaggleExport;
import io.github.keypointj.engine.DeviceChoice;

import java.io.File;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Export>Kaggle Predictions: a model's predictions for a test stack imported from a
 * landmark XML (boxes only), in the original images' coordinates, as {@code Id,Predicted}.
 * <p>
 * Macro: {@code run("Kaggle Predictions", "model=[/models/resnet.zip] csv_file=[/out/submission.csv] overwrite=false device=auto");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Export>Kaggle Predictions",
	description = "Predict on each box of the active imported test stack and write a Kaggle-style CSV")
public class ExportKaggle extends ContextCommand {

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "Model file", style = "open")
	private File model;

	@Parameter(label = "CSV file", style = "save", persist = false)
	private File csv_file;

	@Parameter(label = "Overwrite", persist = false)
	private boolean overwrite = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, persist = false)
	private String device = "auto";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Evaluation and the report's figures", "Kaggle Predictions");

	@Override
	public void run() {
		try {
			final KaggleExport.Request request = new KaggleExport.Request(model == null ? null : model.toPath(),
				csv_file == null ? null : csv_file.toPath(), overwrite, DeviceChoice.parse(device));
			final KaggleExport.Result result = KaggleExport.run(imp, request, UserFeedback.progress(this));
			if (result.canceled()) {
				UserFeedback.info("Kaggle Predictions cancelled; nothing was written.");
				return;
			}
			UserFeedback.info("wrote " + csv_file + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
