package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.eval.LossPlot;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Show Training History: the loss curves stored with a model, as a plot, and its
 * epochs in the Log.
 * <p>
 * Macro: {@code run("Show Training History", "model=[/models/face.zip]");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Show Training History",
	description = "The training and validation loss curves stored with a model, its evaluation and its data's terms")
public class ShowTrainingHistory extends ContextCommand {

	@Parameter(label = "Model file", style = "open")
	private File model;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus plot;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Evaluation and the report's figures", "Show Training History");

	@Override
	public void run() {
		try {
			if (model == null) throw new KeypointException("model: no model file given.");
			final ModelDescription description = ModelFile.readDescription(model.toPath());
			if (description.history().isEmpty()) throw new KeypointException(model + " holds no training history.");
			for (final EpochRecord record : description.history()) {
				UserFeedback.info(String.format("%s epoch %d: training loss %.6f, validation loss %.6f, validation error %.2f px",
					description.name(), record.epoch(), record.trainLoss(), record.validationLoss(), record.validationErrorPx()));
			}
			if (!description.evaluation().isEmpty()) UserFeedback.info(description.name() + " evaluation: " + description
				.evaluation());
			if (description.dataTerms() != null) UserFeedback.info(description.name() + ": " + description.dataTerms());
			plot = LossPlot.of("Training history of " + description.name(), description.history(),
				description.architecture().heatmaps()).getImagePlus();
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
