package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.io.ImmImporter;
import io.github.keypointj.io.ImportResult;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Import>IMM Face Database...: a folder of images with .asf files becomes one
 * 640x480 stack with 58 keypoints per plane.
 * <p>
 * Macro: {@code run("IMM Face Database...", "folder=[/data/imm_face_db] type=[8-bit gray]");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Import>IMM Face Database...",
	description = "Import the IMM Face Database (images + .asf) as an annotated stack")
public class ImportImm extends ContextCommand {

	@Parameter(label = "Folder", description = "Images with .asf files of the same name", style = "directory")
	private File folder;

	@Parameter(label = "Type", choices = { "8-bit gray", "RGB" }, persist = false)
	private String type = "8-bit gray";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus stack;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Importing data sets", "IMM Face Database...");

	@Override
	public void run() {
		try {
			if (folder == null || !folder.isDirectory()) throw new KeypointException("folder: '" + folder + "' is not a folder.");
			final ImportResult result = ImmImporter.read(folder.toPath(), "RGB".equals(type), UserFeedback.progress(this));
			UserFeedback.skipped(result.skipped());
			stack = result.image();
			UserFeedback.info("imported " + stack.getStackSize() + " IMM faces from " + folder + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
