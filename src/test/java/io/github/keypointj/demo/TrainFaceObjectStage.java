package io.github.keypointj.demo;

import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.io.ImportResult;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.train.ObjectStageTraining;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.engine.DeviceChoice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Trains the object stage of the shipped 300-W face models: from the 300-W training faces (w300_train
 * and w300_extra/afw_train, crops of 2x the landmarks' box at 256x256), composed into scenes of one to
 * nine faces by {@code SceneComposer}. Copies {@code BASE} to {@code OUTPUT} first unless it exists, so
 * a second run continues the stage where the first stopped.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.TrainFaceObjectStage DATA BASE.zip OUTPUT.zip EPOCHS [PLANES]}
 */
public final class TrainFaceObjectStage {

	private TrainFaceObjectStage() {}

	public static void main(final String[] args) throws Exception {
		final Path data = Paths.get(args[0]);
		final Path base = Paths.get(args[1]);
		final Path output = Paths.get(args[2]);
		final int epochs = Integer.parseInt(args[3]);
		final ImportResult imported = LandmarkImporter.readPtsFolders(List.of(data.resolve("w300_train"),
			data.resolve("w300_extra/afw_train")), new LandmarkImporter.Settings(2, 256, true), Progress.NONE);
		AnnotatedStack stack = AnnotatedStack.read(imported.image(), null);
		if (args.length > 4) {
			final int planes = Integer.parseInt(args[4]);
			stack = new AnnotatedStack(stack.image(), stack.objects().subList(0, planes), stack.keypointNames(), 0, null);
		}
		System.out.println(stack.objects().size() + " faces, skipped " + imported.skipped().size());
		if (!Files.exists(output)) Files.copy(base, output, StandardCopyOption.COPY_ATTRIBUTES);
		final long start = System.nanoTime();
		ObjectStageTraining.addTo(output, stack, ObjectStageTraining.Request.of(epochs, 1, DeviceChoice.CPU),
			new TrainingListener() {

				@Override
				public void batchDone(final int epoch, final int batch, final int batches, final double loss,
					final double imagesPerSecond, final double secondsLeft)
				{
					if (batch % 20 == 0) System.out.printf(Locale.ROOT, "epoch %d batch %d/%d loss %.4f %.1f scenes/s, %.0f s left%n",
						epoch, batch, batches, loss, imagesPerSecond, secondsLeft);
				}

				@Override
				public void epochDone(final EpochRecord record, final boolean best) {
					System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, %.0f s (%.0f s in all)%n", record.epoch(),
						record.trainLoss(), record.seconds(), (System.nanoTime() - start) / 1e9);
				}

				@Override
				public void message(final String text) {
					System.out.println(text);
				}
			}, Progress.NONE);
	}
}
