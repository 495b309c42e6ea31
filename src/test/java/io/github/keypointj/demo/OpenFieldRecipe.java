package io.github.keypointj.demo;

import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.eval.ErrorSummary;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.eval.SearchEvaluation;
import io.github.keypointj.io.DeepLabCutLabels;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The whole-frame recipe for "any keypoint set", measured as a DeepLabCut user would run it: a project's
 * labelled frames imported (Import › DeepLabCut Labels), half of them trained with the Train dialog's
 * defaults for the architecture (HeatmapNet: its input, epochs and batch, augmentation, 20 % held out, the
 * object stage; mirror pairs leftear=rightear), the other half found and measured from the whole frame as
 * Detect does (Evaluate's search=true), and in the points' box as Evaluate does by default. On
 * {@link SyntheticOpenField}'s made-up video unless a project is given (docs/RESULTS.md: DeepLabCut's
 * example project {@code openfield-Pranav-2018-10-30}, {@code WORK .../m4s1/CollectedData_Pranav.csv 0.5 0
 * HeatmapNet 400}).
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.OpenFieldRecipe WORK [FRAMES [SEED [ARCHITECTURE [EPOCHS]]]]}
 * <br>or, on a real project split in two videos: {@code ... OpenFieldRecipe WORK TRAIN.csv TEST.csv [ARCHITECTURE [EPOCHS]]}
 * <br>or one CollectedData CSV split at random: {@code ... OpenFieldRecipe WORK LABELS.csv FRACTION SEED [ARCHITECTURE
 * [EPOCHS]]} (the training fraction, e.g. 0.5 as the issue did or 0.95 as DeepLabCut's example project does)
 */
public final class OpenFieldRecipe {

	private OpenFieldRecipe() {}

	public static void main(final String[] args) throws Exception {
		final Path work = Paths.get(args[0]);
		final boolean given = args.length > 2 && args[1].endsWith(".csv");
		final boolean split = given && !args[2].endsWith(".csv");
		final List<Path> files = split ? split(Paths.get(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]),
			work) : given ? List.of(Paths.get(args[1]), Paths.get(args[2])) : SyntheticOpenField.write(work.resolve(
				"project"), args.length > 1 ? Integer.parseInt(args[1]) : 116, args.length > 2 ? Long.parseLong(args[2])
					: 0);
		final int next = split ? 4 : 3;
		final Architecture architecture = args.length > next ? Architecture.fromLabel(args[next]) : Architecture.HEATMAP_NET;
		final int epochs = args.length > next + 1 ? Integer.parseInt(args[next + 1]) : 0;
		final AnnotatedStack train = AnnotatedStack.read(DeepLabCutLabels.read(files.get(0), false, Progress.NONE)
			.image(), null);
		final AnnotatedStack test = AnnotatedStack.read(DeepLabCutLabels.read(files.get(1), false, Progress.NONE)
			.image(), null);
		System.out.printf(Locale.ROOT, "%d training frames, %d test frames, %dx%d%n", train.objects().size(), test
			.objects().size(), train.image().getWidth(), train.image().getHeight());
		final Path model = work.resolve(architecture.label() + ".zip");
		final TrainingRequest request = new TrainingRequest(architecture, 0, 0, epochs, 0, 1e-3f, true, "all", "0.2", 1,
			DeviceChoice.AUTO, model, true, null, "leftear=rightear", architecture.cropBoxScale() > 0, 0);
		final long start = System.nanoTime();
		TrainingRun.run(train, request, new TrainingListener() {

			@Override
			public void epochDone(final EpochRecord record, final boolean best) {
				System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, validation %.4f, %.2f px, %.0f s%s%n", record.epoch(),
					record.trainLoss(), record.validationLoss(), record.validationErrorPx(), record.seconds(), best ? " best"
						: "");
			}

			@Override
			public void message(final String text) {
				System.out.println(text);
			}
		}, Progress.NONE);
		final double minutes = (System.nanoTime() - start) / 60e9;
		final EvaluationRun.Result inBoxes = EvaluationRun.run(test.image(), new EvaluationRequest(model),
			Progress.NONE);
		final ErrorSummary boxes = inBoxes.evaluation().summary().model();
		System.out.printf(Locale.ROOT, "in the points' boxes (Evaluate): mean %.2f px, median %.2f px%n", boxes
			.meanError(), boxes.medianError());
		try (KeypointModel loaded = ModelFile.load(model, KeypointEngine.devices(DeviceChoice.AUTO)[0])) {
			if (loaded.objectStage() != null) {
				final SearchEvaluation search = SearchEvaluation.of(loaded, test, Progress.NONE);
				final ErrorSummary found = ErrorSummary.of(search.errors(search.threshold()));
				System.out.println("from whole frames (Detect): " + search.describe());
				System.out.printf(Locale.ROOT, "RESULT %s: whole frames mean %.2f px, median %.2f px, found %d of %d, " +
					"extra %d; in boxes %.2f px; training %.1f min%n", architecture.label(), found.meanError(), found
						.medianError(), search.found(search.threshold()), test.objects().size(), search.extra(search
							.threshold()), boxes.meanError(), minutes);
			}
			else {
				System.out.printf(Locale.ROOT, "RESULT %s: whole planes mean %.2f px, median %.2f px; training %.1f min%n",
					architecture.label(), boxes.meanError(), boxes.medianError(), minutes);
			}
		}
		System.out.println(Arrays.toString(args));
	}

	/**
	 * Splits one video's CollectedData CSV at random into two: {@code WORK/train} and {@code WORK/test}, each
	 * with the rows as they were and links to the frames (which stay where they are).
	 */
	static List<Path> split(final Path labels, final double trainingFraction, final long seed, final Path work)
		throws IOException
	{
		final List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
		final int headerRows = 3;
		// DeepLabCut >= 2.2 names a frame in three columns (labeled-data, video, file), the scorer row then
		// starting "scorer,,,"
		int indexColumns = 1;
		final String[] scorer = lines.get(0).split(",", -1);
		while (indexColumns < scorer.length && scorer[indexColumns].isBlank()) indexColumns++;
		final List<String> rows = new ArrayList<>(lines.subList(headerRows, lines.size()));
		rows.removeIf(String::isBlank);
		Collections.shuffle(rows, new Random(seed));
		final int training = (int) Math.round(rows.size() * trainingFraction);
		final List<Path> files = new ArrayList<>();
		for (final List<String> part : List.of(rows.subList(0, training), rows.subList(training, rows.size()))) {
			final Path folder = Files.createDirectories(work.resolve(files.isEmpty() ? "train" : "test"));
			for (final String row : part) {
				final String frame = Paths.get(row.split(",", -1)[indexColumns - 1]).getFileName().toString();
				final Path link = folder.resolve(frame);
				Files.deleteIfExists(link);
				Files.createSymbolicLink(link, labels.toAbsolutePath().resolveSibling(frame));
			}
			final List<String> text = new ArrayList<>(lines.subList(0, headerRows));
			text.addAll(part);
			files.add(Files.write(folder.resolve(labels.getFileName()), text, StandardCharsets.UTF_8));
		}
		return files;
	}
}
