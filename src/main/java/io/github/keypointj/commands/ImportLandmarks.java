package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.io.ImportResult;
import io.github.keypointj.io.LandmarkImporter;

import java.io.File;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Import>Landmark Files...: a folder of images with iBUG .pts files, or a
 * dlib-style XML, becomes a stack of square crops around each object, with its keypoints and box.
 * <p>
 * Macro: {@code run("Landmark Files...", "source=[/data/lfpw/testset] margin=2 size=256 type=RGB");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Import>Landmark Files...",
	description = "Import images with .pts files, or a dlib landmark XML, as a stack of crops")
public class ImportLandmarks extends ContextCommand {

	@Parameter(label = "Folder or XML file", description = "A folder of images + .pts files, or a dlib-style .xml",
		style = "both")
	private File source;

	// A path as text, not a File: SciJava opens a file chooser for a File input that is the only one a
	// macro left out (its FilePreprocessor), which would stop every macro that does not name this key.
	@Parameter(label = "Also from (optional folder)", description = "A second folder of images + .pts files, " +
		"imported into the same stack (e.g. 300-W's training set is two folders)", required = false, persist = false)
	private String also_from = "";

	@Parameter(label = "Margin", description = "Crop side as a multiple of the box's longer side", min = "0.1",
		persist = false)
	private double margin = 2.0;

	@Parameter(label = "Size (pixels)", description = "Side of the square planes", min = "8", persist = false)
	private int size = 256;

	@Parameter(label = "Type", choices = { "RGB", "8-bit gray" }, persist = false)
	private String type = "RGB";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus stack;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Importing data sets", "Landmark Files...");

	@Override
	public void run() {
		try {
			if (source == null || !source.exists()) throw new KeypointException("source: '" + source + "' does not exist.");
			final LandmarkImporter.Settings settings = new LandmarkImporter.Settings(margin, size, "RGB".equals(type));
			final File second = also_from == null || also_from.isBlank() ? null : new File(also_from.trim());
			if (second != null && !second.isDirectory()) {
				throw new KeypointException("also_from: '" + also_from + "' is not a folder.");
			}
			if (second != null && !source.isDirectory()) {
				throw new KeypointException("also_from: a second folder goes with a folder of .pts files, not with " +
					"the XML file " + source + ".");
			}
			final ImportResult result = source.isDirectory()
				? LandmarkImporter.readPtsFolders(second == null ? List.of(source.toPath())
					: List.of(source.toPath(), second.toPath()), settings, UserFeedback.progress(this))
				: LandmarkImporter.readDlibXml(source.toPath(), settings, UserFeedback.progress(this));
			UserFeedback.skipped(result.skipped());
			stack = result.image();
			UserFeedback.info("imported " + stack.getStackSize() + " objects from " + source +
				(second == null ? "" : " and " + second) + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
