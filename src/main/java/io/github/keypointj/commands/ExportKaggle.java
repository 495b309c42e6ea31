package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.io.KaggleCsv;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.io.File;

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

	@Override
	public void run() {
		try {
			Images.requireOpen(imp);
			if (model == null) throw new KeypointException("model: no model file given.");
			if (csv_file == null) throw new KeypointException("csv_file: no file given.");
			OutputFile.requireWritable(csv_file.toPath(), overwrite, "csv_file");
			try (KeypointModel loaded = ModelFile.load(model.toPath(), KeypointEngine.devices(DeviceChoice.parse(device))[0])) {
				KaggleCsv.write(imp, DetectedObject.points(new KeypointDetector(loaded).detect(imp, PlanePosition.toProcess(imp, true),
					Region.BOXES_IN_OVERLAY, UserFeedback.progress(this))), csv_file.toPath());
			}
			UserFeedback.info("wrote " + csv_file + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
