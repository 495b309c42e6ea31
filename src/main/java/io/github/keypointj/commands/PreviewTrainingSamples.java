package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.augment.SamplePreview;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.KeypointSelection;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Preview Training Samples: what the network will be trained on, from the active
 * annotated stack: crops, random changes and input size of an architecture, with the points drawn.
 * <p>
 * Macro: {@code run("Preview Training Samples", "architecture=FaceNet input_width=0 input_height=0 augment=true keypoints=all mirror_pairs=[] samples=16 seed=1");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Preview Training Samples",
	description = "Show augmented training samples of the active annotated stack")
public class PreviewTrainingSamples extends ContextCommand {

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "Architecture", choices = { "NoseNet", "FaceNet", "ResNet18", "HeatmapNet", "HeatmapNet-fine" }, persist = false)
	private String architecture = "FaceNet";

	@Parameter(label = "Input width (0: the architecture's)", min = "0", persist = false)
	private int input_width = 0;

	@Parameter(label = "Input height (0: the architecture's)", min = "0", persist = false)
	private int input_height = 0;

	@Parameter(label = "Augment", description = "The architecture's random changes (none for NoseNet)", persist = false)
	private boolean augment = true;

	@Parameter(label = "Keypoints", description = "all, or 0-based indices and ranges (52, or 0-16,27)", persist = false)
	private String keypoints = "all";

	@Parameter(label = "Mirror pairs", required = false, persist = false,
		description = "Which keypoints swap in a mirrored sample, 0-based (0-16 1-15 ...) or by name " +
			"(leftear=rightear); empty: as the stack declares; none: never mirrored")
	private String mirror_pairs = "";

	@Parameter(label = "Samples", min = "1", persist = false)
	private int samples = 16;

	@Parameter(label = "Seed", persist = false)
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus preview;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Training samples and augmentation", "Preview Training Samples");

	@Override
	public void run() {
		try {
			Images.requireOpen(imp);
			if (samples < 1) throw new KeypointException("samples: must be at least 1, not " + samples + ".");
			final Architecture chosen = Architecture.fromLabel(architecture);
			final AnnotatedStack stack = KeypointSelection.asTrained(AnnotatedStack.read(imp, null), mirror_pairs, keypoints,
				UserFeedback::info);
			if (stack.unannotatedPlanes() > 0) UserFeedback.info(stack.unannotatedPlanes() + " plane(s) without points skipped.");
			final int width = input_width > 0 ? input_width : chosen.defaultWidth();
			final int height = input_height > 0 ? input_height : chosen.defaultHeight();
			final ModelDescription description = ModelDescription.of("preview", chosen, width, height, stack.keypointNames());
			description.setMirror(stack.mirror()); // mirrored as training will
			final String problem = chosen.inputSizeProblem(width, height);
			if (problem != null) throw new KeypointException(problem + ".");
			preview = SamplePreview.make(stack, description, augment ? chosen.augmentation() : Augmentation.NONE,
				samples, seed);
			preview.setTitle("Training samples of " + imp.getTitle());
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
