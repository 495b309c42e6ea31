package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.io.DeepLabCutLabels;
import io.github.keypointj.io.ImportResult;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Import>DeepLabCut Labels...: the labelled frames of a DeepLabCut project's
 * {@code labeled-data/<video>/} folder, from its {@code CollectedData_<scorer>.csv} or the {@code .h5} beside
 * it, as an annotated stack; or, given the project's {@code config.yaml}, the labelled frames of all its videos.
 * <p>
 * Macro: {@code run("DeepLabCut Labels...", "csv_file=[/project/labeled-data/mouse1/CollectedData_me.csv] type=RGB");}
 * ({@code csv_file} takes the {@code .h5} and {@code config.yaml} too: the key stays what recorded macros hold.)
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Import>DeepLabCut Labels...",
	description = "Import DeepLabCut's labelled frames (CollectedData_<scorer>.csv or .h5 and the frames beside it, or a " +
		"whole project from its config.yaml) as a stack")
public class ImportDeepLabCut extends ContextCommand {

	@Parameter(label = "CollectedData or config.yaml", description = "CollectedData_<scorer>.csv, or the .h5 beside " +
		"it, in labeled-data/<video>/; or the project's config.yaml for all its videos",
		style = "open", persist = false)
	private File csv_file;

	@Parameter(label = "Type", choices = { "RGB", "8-bit gray" }, persist = false)
	private String type = "RGB";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus stack;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Importing data sets", "DeepLabCut Labels...");

	@Override
	public void run() {
		try {
			if (csv_file == null || !csv_file.isFile()) throw new KeypointException("csv_file: '" + csv_file + "' is not a file.");
			final ImportResult result = DeepLabCutLabels.read(csv_file.toPath(), "RGB".equals(type),
				UserFeedback.progress(this));
			UserFeedback.skipped(result.skipped());
			stack = result.image();
			UserFeedback.info("imported " + stack.getStackSize() + " labelled frames from " + csv_file + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
