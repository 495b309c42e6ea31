package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.io.KeypointCsv;

import java.io.File;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Import>Keypoints from CSV...: annotations for the active stack from a CSV file
 * written by Export>Keypoints as CSV (or by hand).
 * <p>
 * Macro: {@code run("Keypoints from CSV...", "csv_file=[/data/points.csv] replace_existing=false");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Import>Keypoints from CSV...",
	description = "Read keypoint annotations of the active stack from a CSV file")
public class ImportCsv extends ContextCommand {

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "CSV file", style = "open", persist = false)
	private File csv_file;

	@Parameter(label = "Replace existing annotations", description = "On the planes the file has points for",
		persist = false)
	private boolean replace_existing = false;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Annotated stacks: how a stack carries its keypoints", "Keypoints from CSV...");

	@Override
	public void run() {
		try {
			final KeypointCsv.Read read = KeypointCsv.importInto(imp, csv_file == null ? null : csv_file.toPath(),
				replace_existing);
			UserFeedback.info(KeypointCsv.summary(read, csv_file.getName()));
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
