package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Images;
import io.github.keypointj.io.DeepLabCutLabels;
import io.github.keypointj.io.KeypointCsv;
import io.github.keypointj.io.OutputFile;

import java.io.File;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Export>Keypoints as CSV: the annotations (or KeypointJ's detections) of the active
 * stack as {@code slice,label,point,name,x,y}.
 * <p>
 * Macro: {@code run("Keypoints as CSV", "csv_file=[/out/points.csv] points=annotations original_coordinates=false layout=KeypointJ");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Export>Keypoints as CSV",
	description = "Write the keypoints of the active stack to a CSV file")
public class ExportCsv extends ContextCommand {

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "CSV file", style = "save", persist = false)
	private File csv_file;

	@Parameter(label = "Points", choices = { "annotations", "detections" }, persist = false)
	private String points = "annotations";

	@Parameter(label = "Original image coordinates", description = "For stacks of crops: also x, y in the original images",
		persist = false)
	private boolean original_coordinates = false;

	@Parameter(label = "Layout", choices = { "KeypointJ", "DeepLabCut" }, description = "KeypointJ: slice,label,point," +
		"name,x,y; DeepLabCut: a CollectedData file for a project's labeled-data folder", persist = false)
	private String layout = "KeypointJ";

	@Parameter(label = "Scorer (DeepLabCut)", description = "The scorer of the project's config.yaml", required = false,
		persist = false)
	private String scorer = "KeypointJ";

	@Parameter(label = "Overwrite", description = "Replace an existing file", persist = false)
	private boolean overwrite = false;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Annotated stacks: how a stack carries its keypoints", "Keypoints as CSV");

	@Override
	public void run() {
		try {
			Images.requireOpen(imp);
			if (csv_file == null) throw new KeypointException("csv_file: no file given.");
			OutputFile.requireWritable(csv_file.toPath(), overwrite, "csv_file");
			final AnnotatedStack stack = "detections".equals(points) ? AnnotatedStack.readDetections(imp)
				: AnnotatedStack.read(imp, null);
			if ("DeepLabCut".equals(layout)) {
				if (original_coordinates) {
					throw new KeypointException("original_coordinates=true: DeepLabCut's layout has the frames' own " +
						"coordinates only; use layout=KeypointJ for the original images'.");
				}
				DeepLabCutLabels.write(imp, stack.objects(), stack.keypointNames(), scorer == null || scorer.isBlank()
					? "KeypointJ" : scorer.trim(), csv_file.toPath());
			}
			else KeypointCsv.write(imp, stack.objects(), stack.keypointNames(), original_coordinates, csv_file.toPath());
			UserFeedback.info("wrote " + stack.objects().size() + " point sets to " + csv_file + ".");
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
