package io.github.keypointj.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ij.ImagePlus;
import ij.process.ImageConverter;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KeypointJ's speed at the report's recipes, side by side with PyTorch eager on the same machine in
 * the same run ({@code ../shared/bench/bench_torch.py}, when Debian's python3-torch is installed).
 * Training rows go through {@link TrainingRun} itself, fed by the real data pipeline (with
 * augmentation) from an in-memory synthetic annotated stack; figures are medians of steps after a
 * warm-up. Peak memory is the process's resident set, reset before each row. Not a test: run
 * {@code scripts/benchmark}; {@code -Dbench.sections=table,pipeline,tta} picks parts of it.
 */
public final class Benchmark {

	/** The rows of the issue: architecture and batch size. */
	private record TrainingRow(Architecture architecture, String torchName, int batch, int warmup, int measured) {}

	private static final List<TrainingRow> TRAINING_ROWS = List.of(
		new TrainingRow(Architecture.NOSE_NET, "nose", 1, 30, 300),
		new TrainingRow(Architecture.NOSE_NET, "nose", 32, 5, 30),
		new TrainingRow(Architecture.FACE_NET, "face", 1, 20, 150),
		new TrainingRow(Architecture.FACE_NET, "face", 32, 3, 12),
		new TrainingRow(Architecture.RESNET18, "resnet18", 8, 2, 8),
		new TrainingRow(Architecture.RESNET18, "resnet18", 32, 2, 4));

	private static final Pattern TORCH_RESULT = Pattern.compile(
		"RESULT torch (train|infer) model=(\\w+) batch=(\\d+).*?(?:img_per_s=([\\d.]+)|median_ms=([\\d.]+))");

	private static final int TTA_TRAINING = 400, TTA_VALIDATION = 50, TTA_MAX_EPOCHS = 20;
	private static final double TTA_TARGET_PX = 3.0;

	private Benchmark() {}

	public static void main(final String[] args) throws IOException, InterruptedException {
		final Path torchScript = Paths.get(args.length > 0 ? args[0] : "../shared/bench/bench_torch.py");
		final Path folder = Files.createTempDirectory("keypointj-bench");
		KeypointEngine.get();
		System.out.printf(Locale.ROOT, "KeypointJ benchmark: %d cores, PyTorch %s (DJL), %d intra-op threads, %s%n",
			Runtime.getRuntime().availableProcessors(), KeypointEngine.get().getVersion(), JniUtils.getNumThreads(),
			java.time.LocalDate.now());
		final String sections = System.getProperty("bench.sections", "table,pipeline,tta");
		if (!sections.contains("table")) {
			if (sections.contains("tta")) timeToAccuracy(folder);
			return;
		}
		final Map<String, Double> torch = torchFigures(torchScript);
		final AnnotatedStack gray = AnnotatedStack.read(SyntheticSpots.generate(240, 640, 480, 1).image(), null);
		final ImagePlus rgbImage = SyntheticSpots.generate(200, 384, 384, 4).image();
		new ImageConverter(rgbImage).convertToRGB();
		final AnnotatedStack rgb = AnnotatedStack.read(rgbImage, null);

		final List<String[]> table = new ArrayList<>();
		for (final TrainingRow row : TRAINING_ROWS) {
			resetPeakMemory();
			final double rate = trainingRate(row, row.architecture() == Architecture.RESNET18 ? rgb : gray, folder);
			table.add(row("train " + row.architecture().label() + " batch " + row.batch(), "images/s", rate,
				torch.get("train " + row.torchName() + " " + row.batch()), true, peakMemoryMb()));
		}
		for (final Architecture architecture : Architecture.values()) {
			resetPeakMemory();
			final double ms = inferenceMs(architecture, architecture == Architecture.RESNET18 ? 3 : 1);
			final String name = architecture == Architecture.RESNET18 ? "resnet18" : architecture == Architecture.NOSE_NET
				? "nose" : "face";
			table.add(row("infer " + architecture.label() + " batch 1", "ms", ms, torch.get("infer " + name + " 1"), false,
				peakMemoryMb()));
		}
		resetPeakMemory();
		table.add(row("Detect Keypoints FaceNet, 240 x 640x480", "planes/s", detectRate(gray.image(), folder), null, true,
			peakMemoryMb()));
		print(table);
		if (sections.contains("pipeline")) {
			System.out.println();
			System.out.println("Data pipeline (augmentation on; it must deliver >= 3x each training row):");
			PipelineBenchmark.main(new String[] { "3" });
		}
		if (sections.contains("tta")) {
			System.out.println();
			timeToAccuracy(folder);
		}
	}

	/** A training recipe for the time-to-accuracy table. */
	private record Recipe(Architecture architecture, int batch, float learningRate, String why) {}

	/**
	 * Wall time (training, validation and saving, as a user waits for it) until the validation error
	 * first reaches a fixed target, on a fixed synthetic stack: the report's recipe against faster ones.
	 */
	private static void timeToAccuracy(final Path folder) {
		// Planes at each network's own input size: the error is then in plane pixels.
		final Map<Architecture, AnnotatedStack> stacks = new LinkedHashMap<>();
		for (final Architecture architecture : List.of(Architecture.NOSE_NET, Architecture.FACE_NET)) {
			stacks.put(architecture, AnnotatedStack.read(SyntheticSpots.generate(TTA_TRAINING + TTA_VALIDATION,
				architecture.defaultWidth(), architecture.defaultHeight(), 11).image(), null));
		}
		System.out.printf(Locale.ROOT, "Time to accuracy: %d synthetic planes at each network's input size (2 keypoints), " +
			"%d for validation; target: validation error <= %.1f px, at most %d epochs%n", TTA_TRAINING + TTA_VALIDATION,
			TTA_VALIDATION, TTA_TARGET_PX, TTA_MAX_EPOCHS);
		System.out.println("| network | recipe | epochs to target | seconds to target | best error px |");
		System.out.println("|---|---|---|---|---|");
		for (final Recipe recipe : List.of(
			new Recipe(Architecture.NOSE_NET, 1, 1e-3f, "report: batch 1, lr 1e-3"),
			new Recipe(Architecture.NOSE_NET, 8, 2e-3f, "batch 8, lr 2e-3"),
			new Recipe(Architecture.NOSE_NET, 32, 3e-3f, "batch 32, lr 3e-3"),
			new Recipe(Architecture.FACE_NET, 1, 1e-3f, "report: batch 1, lr 1e-3"),
			new Recipe(Architecture.FACE_NET, 8, 2e-3f, "batch 8, lr 2e-3"),
			new Recipe(Architecture.FACE_NET, 32, 3e-3f, "batch 32, lr 3e-3")))
		{
			final double[] best = { Double.POSITIVE_INFINITY };
			final double[] reached = { Double.NaN, Double.NaN };
			final long start = System.nanoTime();
			final TrainingRequest request = new TrainingRequest(recipe.architecture(), 0, 0, TTA_MAX_EPOCHS, recipe.batch(),
				recipe.learningRate(), false, "all", "slices " + (TTA_TRAINING + 1) + "-" + (TTA_TRAINING + TTA_VALIDATION), 1,
				DeviceChoice.AUTO, folder.resolve("tta.zip"), null);
			try {
				Files.deleteIfExists(request.output());
			}
			catch (final IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			TrainingRun.run(stacks.get(recipe.architecture()), request, new TrainingListener() {

				@Override
				public void epochDone(final EpochRecord record, final boolean isBest) {
					best[0] = Math.min(best[0], record.validationErrorPx());
					if (Double.isNaN(reached[0]) && record.validationErrorPx() <= TTA_TARGET_PX) {
						reached[0] = record.epoch();
						reached[1] = (System.nanoTime() - start) / 1e9;
					}
				}
			}, new Progress() {

				@Override
				public void report(final String status, final int done, final int total) {}

				@Override
				public boolean isCanceled() {
					return !Double.isNaN(reached[0]);
				}
			});
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.2f |%n", recipe.architecture().label(), recipe.why(),
				Double.isNaN(reached[0]) ? "not reached" : String.valueOf((int) reached[0]), Double.isNaN(reached[1]) ? "-"
					: String.format(Locale.ROOT, "%.1f", reached[1]), best[0]);
		}
	}

	/** The keypoints each network predicts in the report: the nose tip, IMM's 58 points, iBUG's 68. */
	static int reportKeypoints(final Architecture architecture) {
		return architecture == Architecture.FACE_NET ? 58 : architecture == Architecture.RESNET18 ? 68 : 1;
	}

	private static double trainingRate(final TrainingRow row, final AnnotatedStack stack, final Path folder) {
		final List<Long> stepEnds = new ArrayList<>();
		final int steps = row.warmup() + row.measured();
		final Progress stopAfterSteps = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {}

			@Override
			public boolean isCanceled() {
				return stepEnds.size() > steps;
			}
		};
		final TrainingRequest request = new TrainingRequest(row.architecture(), 0, 0, 1000, row.batch(), 1e-3f, true, "all",
			"none", 1, DeviceChoice.AUTO, folder.resolve("bench.zip"), null);
		stepEnds.add(System.nanoTime());
		TrainingRun.run(stack, request, new TrainingListener() {

			@Override
			public void batchDone(final int epoch, final int batch, final int batches, final double loss,
				final double imagesPerSecond, final double secondsLeft)
			{
				stepEnds.add(System.nanoTime());
			}
		}, stopAfterSteps);
		final double[] stepSeconds = new double[stepEnds.size() - 1 - row.warmup()];
		for (int i = 0; i < stepSeconds.length; i++) {
			stepSeconds[i] = (stepEnds.get(row.warmup() + i + 1) - stepEnds.get(row.warmup() + i)) / 1e9;
		}
		return row.batch() / median(stepSeconds);
	}

	private static double inferenceMs(final Architecture architecture, final int channels) {
		final ModelDescription description = ModelDescription.of("bench", architecture, architecture.defaultWidth(),
			architecture.defaultHeight(), ModelDescription.numberedNames(reportKeypoints(architecture)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[model.inputSize()];
			final Random random = new Random(1);
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			final int runs = architecture == Architecture.RESNET18 ? 40 : 300;
			final double[] ms = new double[runs];
			for (int i = 0; i < 10; i++) model.predict(input, 1);
			for (int i = 0; i < runs; i++) {
				final long start = System.nanoTime();
				model.predict(input, 1);
				ms[i] = (System.nanoTime() - start) / 1e6;
			}
			return median(ms);
		}
	}

	private static double detectRate(final ImagePlus stack, final Path folder) {
		final Path file = folder.resolve("face.zip");
		final ModelDescription description = ModelDescription.of("bench", Architecture.FACE_NET, 160, 120,
			ModelDescription.numberedNames(reportKeypoints(Architecture.FACE_NET)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			ModelFile.save(model, file);
		}
		final ImagePlus image = stack.duplicate();
		Detection.run(image, new DetectionRequest(file, false, Region.WHOLE_IMAGE, DeviceChoice.AUTO, 0), Progress.NONE);
		final long start = System.nanoTime();
		Detection.run(image, new DetectionRequest(file, true, Region.WHOLE_IMAGE, DeviceChoice.AUTO, 0), Progress.NONE);
		return image.getStackSize() / ((System.nanoTime() - start) / 1e9);
	}

	/** PyTorch's figures for the same rows, keyed "train nose 1", "infer face 1", ...; empty if it cannot run. */
	private static Map<String, Double> torchFigures(final Path script) throws IOException, InterruptedException {
		final Map<String, Double> figures = new LinkedHashMap<>();
		if (!Files.exists(script)) {
			System.out.println("PyTorch reference not run: " + script + " not found (pass its path as argument).");
			return figures;
		}
		for (final String[] run : List.of(new String[] { "nose", "1,32", "8" }, new String[] { "face", "1,32", "8" },
			new String[] { "resnet18", "8,32", "12" }))
		{
			final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
			command.addAll(Arrays.asList(run));
			final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			final StringBuilder output = new StringBuilder();
			try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
				StandardCharsets.UTF_8)))
			{
				for (String line; (line = in.readLine()) != null;) {
					output.append(line).append('\n');
					final Matcher m = TORCH_RESULT.matcher(line);
					if (m.find()) {
						figures.put(m.group(1) + " " + m.group(2) + " " + m.group(3), Double.parseDouble(m.group(4) != null
							? m.group(4) : m.group(5)));
					}
				}
			}
			if (process.waitFor() != 0) {
				System.out.println("PyTorch reference failed (is python3-torch installed?):\n" + output);
				return new LinkedHashMap<>();
			}
		}
		return figures;
	}

	/** A table row; the ratio says how many times better KeypointJ is (higher rate or lower time). */
	private static String[] row(final String name, final String unit, final double keypointj, final Double torch,
		final boolean higherIsBetter, final long peakMb)
	{
		final String ratio = torch == null ? "-" : String.format(Locale.ROOT, "%.2fx", higherIsBetter ? keypointj / torch
			: torch / keypointj);
		return new String[] { name, unit, String.format(Locale.ROOT, "%.2f", keypointj), torch == null ? "-" : String
			.format(Locale.ROOT, "%.2f", torch), ratio, peakMb < 0 ? "-" : String.valueOf(peakMb) };
	}

	private static void print(final List<String[]> rows) {
		System.out.println("| row | unit | KeypointJ | PyTorch | KeypointJ / PyTorch | peak RSS MB |");
		System.out.println("|---|---|---|---|---|---|");
		for (final String[] row : rows) System.out.println("| " + String.join(" | ", row) + " |");
	}

	private static double median(final double[] values) {
		final double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/** Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) of this process. */
	private static void resetPeakMemory() {
		try {
			System.gc();
			Files.writeString(Paths.get("/proc/self/clear_refs"), "5");
		}
		catch (final IOException | RuntimeException e) {
			// Not Linux: the peak then covers the whole run.
		}
	}

	private static long peakMemoryMb() {
		try {
			for (final String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		catch (final IOException | RuntimeException e) {
			// Not Linux.
		}
		return -1;
	}
}
