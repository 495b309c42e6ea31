package io.github.keypointj.demo;

import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.ImportResult;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.CoordinateLoss;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Trains a 68-point HeatmapNet on 300-W's training faces (w300_train and w300_extra/afw_train, imported as
 * Import › Landmark Files does with margin 2, RGB, planes of {@code PLANE} px) as Train Keypoint Model
 * does: batch 32, augmentation on, 5 % held out (seed 0). Resumes from the output's checkpoint when it
 * exists (its architecture, loss and mirror offset; a run from START takes START's architecture), so a
 * run stopped (or cut by the end of a session) goes on where it stopped.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.TrainFaceHeatmap DATA OUTPUT.zip INPUT EPOCHS RATE PLANE [START.zip|ARCHITECTURE [MIRROR_OFFSET]]}
 */
public final class TrainFaceHeatmap {

	private TrainFaceHeatmap() {}

	public static void main(final String[] args) throws Exception {
		final Path data = Paths.get(args[0]);
		final Path output = Paths.get(args[1]);
		final int input = Integer.parseInt(args[2]);
		final int epochs = Integer.parseInt(args[3]);
		final float rate = Float.parseFloat(args[4]);
		final int plane = Integer.parseInt(args[5]);
		final boolean named = args.length > 6 && java.util.Arrays.asList(Architecture.LABELS).contains(args[6]);
		final Path start = args.length > 6 && !named ? Paths.get(args[6]) : null;
		final long importStart = System.nanoTime();
		final ImportResult imported = LandmarkImporter.readPtsFolders(List.of(data.resolve("w300_train"),
			data.resolve("w300_extra/afw_train")), new LandmarkImporter.Settings(2, plane, true), Progress.NONE);
		final AnnotatedStack stack = AnnotatedStack.read(imported.image(), null);
		System.out.printf(Locale.ROOT, "%d faces, skipped %d, imported in %.0f s%n", stack.objects().size(),
			imported.skipped().size(), (System.nanoTime() - importStart) / 1e9);
		final Path checkpoint = io.github.keypointj.io.ModelOutput.checkpointOf(output);
		final boolean resume = Files.exists(checkpoint);
		final ModelDescription resumed = resume ? ModelFile.readDescription(checkpoint) : null;
		final Architecture architecture = resume ? resumed.architecture()
			: start != null ? ModelFile.readDescription(start).architecture()
			: named ? Architecture.fromLabel(args[6]) : Architecture.HEATMAP_NET;
		final TrainingRequest request = new TrainingRequest(architecture, input,
			input, epochs, 32, rate, true, "all", "0.05", 0, DeviceChoice.AUTO, output, resume, resume ? checkpoint : null, "",
			false, 0, resume ? null : start, resume ? CoordinateLoss.fromLabel(resumed.trainingSettings().getOrDefault("loss",
				"l1")) : CoordinateLoss.L1, resume ? resumed.mirrorOffset() : args.length > 7 ? Double.parseDouble(args[7]) : 0);
		final long trainStart = System.nanoTime();
		final TrainingRun.Result result = TrainingRun.run(stack, request, new TrainingListener() {

			@Override
			public void batchDone(final int epoch, final int batch, final int batches, final double loss,
				final double imagesPerSecond, final double secondsLeft)
			{
				if (batch % 10 == 0) System.out.printf(Locale.ROOT, "epoch %d batch %d/%d loss %.4f %.1f images/s%n", epoch,
					batch, batches, loss, imagesPerSecond);
			}

			@Override
			public void epochDone(final EpochRecord record, final boolean best) {
				System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, validation %.4f, %.3f px, %.0f s (%.0f s in all)%s%n",
					record.epoch(), record.trainLoss(), record.validationLoss(), record.validationErrorPx(), record.seconds(),
					(System.nanoTime() - trainStart) / 1e9, best ? " best" : "");
			}

			@Override
			public void message(final String text) {
				System.out.println(text);
			}
		}, Progress.NONE);
		System.out.println("done: best epoch " + result.bestEpoch() + " of " + result.history().size());
	}
}
