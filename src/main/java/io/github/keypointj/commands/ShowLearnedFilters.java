package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.eval.FilterMontage;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Show Learned Filters: the first convolution's kernels of a model as a montage.
 * <p>
 * Macro: {@code run("Show Learned Filters", "model=[/models/face.zip] zoom=8");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Show Learned Filters",
	description = "The first-layer kernels of a model as a montage")
public class ShowLearnedFilters extends ContextCommand {

	@Parameter(label = "Model file", style = "open")
	private File model;

	@Parameter(label = "Zoom", min = "1", persist = false)
	private int zoom = 8;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus filters;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Evaluation and the report's figures", "Show Learned Filters");

	@Override
	public void run() {
		try {
			filters = FilterMontage.of(model == null ? null : model.toPath(), zoom);
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
