package io.github.keypointj.commands;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.LossPlot;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.CoordinateLoss;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.awt.Button;
import java.awt.FlowLayout;
import java.awt.Panel;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>Train Keypoint Model: trains NoseNet, FaceNet, ResNet18 or HeatmapNet on the active
 * annotated stack, with a live loss plot, one log line per epoch, a checkpoint per epoch and the best
 * model in the output file. Zero for input size, epochs or batch size takes the architecture's value
 * (the report's); the dialog shows those values.
 * <p>
 * Macro: {@code run("Train Keypoint Model", "architecture=NoseNet keypoints=52 validation=[labels 33-40] output=[/models/nose.zip]");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>Train Keypoint Model",
	description = "Train a keypoint network on the active annotated stack")
public class TrainKeypointModel extends ContextCommand implements DialogDefaults {

	/**
	 * What 0 stands for, in the tooltips and the macro reference (constants: annotations cannot call
	 * Architecture; a test checks them).
	 */
	static final String DEFAULT_SIZES = "NoseNet 80x60, FaceNet 160x120, ResNet18 224x224, HeatmapNet 128x128, HeatmapNet-fine 128x128";
	static final String DEFAULT_EPOCHS = "NoseNet 25, FaceNet 30, ResNet18 20, HeatmapNet 80, HeatmapNet-fine 80";
	static final String DEFAULT_BATCHES = "NoseNet 1, FaceNet 1, ResNet18 32, HeatmapNet 32, HeatmapNet-fine 32";

	@Parameter
	private ImagePlus imp;

	@Parameter(label = "Architecture", choices = { "NoseNet", "FaceNet", "ResNet18", "HeatmapNet", "HeatmapNet-fine" }, persist = false,
		callback = "showTheArchitecturesValues")
	private String architecture = "NoseNet";

	@Parameter(label = "Input width", min = "0", persist = false,
		description = "0: the architecture's, " + TrainKeypointModel.DEFAULT_SIZES)
	private int input_width = 0;

	@Parameter(label = "Input height", min = "0", persist = false,
		description = "0: the architecture's, " + TrainKeypointModel.DEFAULT_SIZES)
	private int input_height = 0;

	@Parameter(label = "Epochs", min = "0", persist = false,
		description = "0: the architecture's, " + TrainKeypointModel.DEFAULT_EPOCHS)
	private int epochs = 0;

	@Parameter(label = "Batch size", min = "0", persist = false,
		description = "0: the architecture's, " + TrainKeypointModel.DEFAULT_BATCHES)
	private int batch_size = 0;

	@Parameter(label = "Learning rate", persist = false)
	private double learning_rate = 1e-3;

	@Parameter(label = "Augment", description = "The architecture's random changes (none for NoseNet)", persist = false)
	private boolean augment = true;

	@Parameter(label = "Keypoints", description = "all, or 0-based indices and ranges (52, or 0-16,27)", persist = false)
	private String keypoints = "all";

	@Parameter(label = "Mirror pairs", required = false, persist = false,
		description = "Which keypoints swap in a mirrored sample, 0-based (0-16 1-15 ...) or by name " +
			"(leftear=rightear); empty: as the stack declares (imported faces declare theirs, other sets are never mirrored); " +
			"none: never mirrored")
	private String mirror_pairs = "";

	@Parameter(label = "Mirror offset", persist = false, stepSize = "0.001", style = "format:0.0000",
		description = "How far right of mirror symmetry the annotations place every point, as a fraction of the " +
			"object's box; mirrored samples keep it, so the network need not tell an image from its mirror image. " +
			"0: none; 300-W's faces: 0.0049 (docs/RESULTS.md says how to measure it)")
	private double mirror_offset = 0;

	@Parameter(label = "Validation", description = "none, a fraction (0.2), slices 193-240, or labels 33-40",
		persist = false)
	private String validation = "0.2";

	@Parameter(label = "Loss", choices = { "L1", "wing" }, persist = false,
		description = "HeatmapNet and HeatmapNet-fine: what a distance of a position to its annotation costs: L1, " +
			"or Wing (pulls harder on small errors; docs/RESULTS.md measures both)")
	private String loss = "L1";

	@Parameter(label = "Seed", persist = false)
	private long seed = 1;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, persist = false)
	private String device = "auto";

	@Parameter(label = "Object stage", persist = false,
		description = "ResNet18 and HeatmapNet: also train the network that finds each object on whole planes, " +
			"so that Detect needs no boxes (after the keypoint network; not for NoseNet and FaceNet, which see whole planes)")
	private boolean object_stage = true;

	@Parameter(label = "Object stage epochs", min = "0", persist = false,
		description = "0: enough for 12,000 training scenes, and at least 20 epochs")
	private int object_epochs = 0;

	@Parameter(label = "Model file", style = "save", persist = false)
	private File output;

	@Parameter(label = "Overwrite an existing model file", persist = false)
	private boolean overwrite = false;

	@Parameter(label = "Resume from checkpoint", style = "open", required = false, persist = false, autoFill = false)
	private File resume_from;

	@Parameter(label = "Start from model", style = "open", required = false, persist = false, autoFill = false,
		description = "Fine-tune: begin with this trained model's weights (same architecture and keypoints, any input " +
			"size for ResNet18 and HeatmapNet) instead of random ones")
	private File start_from;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String help = Help.link("Training", "Train Keypoint Model");

	/** The architecture whose values the dialog shows, to tell them from values the user typed. */
	private Architecture shown;

	/** The dialog shows the architecture's input size, epochs and batch instead of 0 (a macro's 0 means them too). */
	@Override
	public void startDialog(final Predicate<String> unset) {
		if (unset.test("architecture")) showTheArchitecturesValues();
	}

	/** When the user picks another architecture, its values replace those the user has not typed. */
	private void showTheArchitecturesValues() {
		final Architecture chosen = Architecture.fromLabel(architecture);
		input_width = shownOr(input_width, chosen.defaultWidth(), shown == null ? 0 : shown.defaultWidth());
		input_height = shownOr(input_height, chosen.defaultHeight(), shown == null ? 0 : shown.defaultHeight());
		epochs = shownOr(epochs, chosen.defaultEpochs(), shown == null ? 0 : shown.defaultEpochs());
		batch_size = shownOr(batch_size, chosen.defaultBatch(), shown == null ? 0 : shown.defaultBatch());
		shown = chosen;
	}

	private static int shownOr(final int value, final int chosen, final int shownBefore) {
		return value == 0 || value == shownBefore ? chosen : value;
	}

	@Override
	public void run() {
		final AtomicBoolean stopButtonPressed = new AtomicBoolean();
		final Progress progress = UserFeedback.progress(this, stopButtonPressed::get);
		try {
			final TrainingRequest request = new TrainingRequest(Architecture.fromLabel(architecture), input_width,
				input_height, epochs, batch_size, (float) learning_rate, augment, keypoints, validation, seed,
				DeviceChoice.parse(device), output == null ? null : output.toPath(), overwrite, OutputFile.given(resume_from),
				mirror_pairs, object_stage, object_epochs, OutputFile.given(start_from), CoordinateLoss.fromLabel(loss),
				mirror_offset);
			final TrainingRun.Result result = TrainingRun.run(imp, request, new Watcher(request, stopButtonPressed), progress);
			UserFeedback.info(result.wroteModel() ? (result.canceled() ? "training cancelled; " : "training done; ") +
				output + " holds the model of epoch " + result.bestEpoch() + "; checkpoint: " +
				ModelOutput.checkpointOf(request.output()).getFileName() + "." : "training stopped before its first epoch " +
				"ended: nothing was written" + (output.exists() ? "; " + output + " is as it was." : "."));
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}

	/** Log lines, status bar and the live loss plot with a Stop button. */
	private static final class Watcher implements TrainingListener {

		private final TrainingRequest request;
		private final AtomicBoolean stop;
		private final List<EpochRecord> epochs = new ArrayList<>();
		private PlotWindow window;

		Watcher(final TrainingRequest request, final AtomicBoolean stop) {
			this.request = request;
			this.stop = stop;
		}

		@Override
		public void message(final String text) {
			UserFeedback.info(text);
		}

		@Override
		public void batchDone(final int epoch, final int batch, final int batches, final double loss,
			final double imagesPerSecond, final double secondsLeft)
		{
			ij.IJ.showStatus(String.format("Epoch %d, batch %d/%d: loss %.5f, %.0f images/s, %s left", epoch, batch,
				batches, loss, imagesPerSecond, duration(secondsLeft)));
		}

		@Override
		public void epochDone(final EpochRecord record, final boolean best) {
			UserFeedback.info(String.format("epoch %d: training loss %.6f, validation loss %.6f, validation error %.2f px " +
				"(input pixels), %.1f s%s", record.epoch(), record.trainLoss(), record.validationLoss(),
				record.validationErrorPx(), record.seconds(), best ? " - best so far, saved" : ""));
			epochs.add(record);
			if (!UserFeedback.interactive()) return;
			final Plot plot = LossPlot.of("Training loss of " + request.output().getFileName(), epochs,
				request.architecture().heatmaps());
			if (window == null || window.isClosed()) {
				window = plot.show();
				addStopButton(window);
			}
			else window.drawPlot(plot);
		}

		/** Besides Esc: the run stops after the batch under way and keeps the best epoch saved so far. */
		private void addStopButton(final PlotWindow plotWindow) {
			final Button button = new Button(stop.get() ? "Stopping..." : "Stop training");
			button.setEnabled(!stop.get());
			button.addActionListener(event -> {
				stop.set(true);
				button.setLabel("Stopping...");
				button.setEnabled(false);
			});
			final Panel panel = new Panel(new FlowLayout(FlowLayout.RIGHT));
			panel.add(button);
			plotWindow.add(panel);
			plotWindow.pack();
		}

		private static String duration(final double seconds) {
			return seconds < 120 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
		}
	}
}
