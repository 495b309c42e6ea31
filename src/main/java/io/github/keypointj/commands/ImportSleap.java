package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.io.ImportResult;
import io.github.keypointj.io.SleapLabels;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Import>SLEAP Labels...: the frames people labelled in a SLEAP labels file, with their
 * instances and the skeleton's symmetries, as an annotated stack.
 * <p>
 * Macro: {@code run("SLEAP Labels...", "slp_file=[/project/labels.v001.pkg.slp] type=RGB");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Import>SLEAP Labels...",
	description = "Import the frames people labelled in a SLEAP labels file (.slp; a labels package embeds them) as a stack")
public class ImportSleap extends ContextCommand {

	@Parameter(label = "SLEAP labels", description = "A .slp file: a labels package (.pkg.slp) with its frames " +
		"embedded, or labels whose frames are image files or a movie (H.264 .mp4 or .mov, TIFF stack, AVI)", style = "open",
		persist = false)
	private File slp_file;

	@Parameter(label = "Type", choices = { "RGB", "8-bit gray" }, persist = false)
	private String type = "RGB";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus stack;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Importing data sets", "SLEAP Labels...");

	@Override
	public void run() {
		try {
			if (slp_file == null || !slp_file.isFile()) throw new KeypointException("slp_file: '" + slp_file + "' is not a file.");
			final ImportResult result = SleapLabels.read(slp_file.toPath(), "RGB".equals(type), UserFeedback.progress(this));
			UserFeedback.skipped(result.skipped());
			stack = result.image();
			UserFeedback.info("imported " + stack.getStackSize() + " labelled frames from " + slp_file + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
