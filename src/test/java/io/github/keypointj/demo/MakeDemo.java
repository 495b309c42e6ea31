package io.github.keypointj.demo;

import ij.IJ;
import ij.io.FileSaver;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Regenerates the demo in sample-images/: a small annotated "spots" stack and a NoseNet trained on
 * other spots through KeypointJ's own training, so that detection can be shown on a fresh clone
 * without any licensed data.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.MakeDemo sample-images}
 */
public final class MakeDemo {

	static final int TRAINING = 2000, VALIDATION = 60;

	private MakeDemo() {}

	public static void main(final String[] args) throws IOException {
		final Path folder = Paths.get(args.length > 0 ? args[0] : "sample-images");
		final Path model = folder.resolve("models").resolve("spots-nosenet.zip");
		Files.createDirectories(model.getParent());
		final SyntheticSpots.Data data = SyntheticSpots.generate(TRAINING + VALIDATION, 80, 60, 1);
		final TrainingRequest request = new TrainingRequest(Architecture.NOSE_NET, 80, 60, 20, 16, 1e-3f, false, "all",
			"slices " + (TRAINING + 1) + "-" + (TRAINING + VALIDATION), 7, DeviceChoice.CPU, model, true, null); // the demo's anew
		TrainingRun.run(AnnotatedStack.read(data.image(), null), request, new TrainingListener() {

			@Override
			public void epochDone(final EpochRecord epoch, final boolean best) {
				IJ.log(String.format("epoch %d: train loss %.5f, validation loss %.5f, validation error %.2f px%s",
					epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(), epoch.validationErrorPx(), best ? " (best)" : ""));
			}
		}, Progress.NONE);
		Files.deleteIfExists(ModelOutput.checkpointOf(model)); // the demo ships the model only
		if (!new FileSaver(SyntheticSpots.generate(12, 80, 60, 3).image()).saveAsTiff(folder.resolve("spots.tif").toString())) {
			throw new KeypointException("Could not write " + folder.resolve("spots.tif"));
		}
	}
}
