package io.github.keypointj.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ij.ImagePlus;
import ij.process.ImageConverter;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.InferencePath;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.engine.NativeMemory;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.nets.Networks;
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
 * KeypointJ's speed at the report's recipes and HeatmapNet's, side by side with PyTorch eager on the
 * same machine in the same run ({@code ../shared/bench/bench_torch.py}, and the project's
 * {@code scripts/heatmap_net_torch.py}, checked first to be the same network; when Debian's python3-torch
 * is installed). Inference rows alternate the two sides ({@code scripts/torch_inference.py}), and so do
 * training rows. Training rows go through {@link TrainingRun} itself, fed by the real data pipeline (with
 * augmentation) from an in-memory synthetic annotated stack; figures are medians of steps after a
 * warm-up. Each training row runs twice, each time in its own JVM right after PyTorch's run of the same
 * row, so that both meet the same minutes of a shared machine, and its peak memory (resident set) is the
 * training's alone. Not a test: run {@code scripts/benchmark}; {@code -Dbench.sections=table,pipeline,tta}
 * picks parts of it, {@code -Dbench.rows=NoseNet:1,ResNet18:32} training rows.
 */
public final class Benchmark {

	/** The training rows: architecture and batch size (the report's, and the heatmap networks' recipe). */
	private record TrainingRow(Architecture architecture, int batch, int warmup, int measured) {}

	private static final List<TrainingRow> TRAINING_ROWS = List.of(
		// Warm-ups: at least these steps and WARMUP_SECONDS (trainingRate).
		new TrainingRow(Architecture.NOSE_NET, 1, 300, 1000),
		new TrainingRow(Architecture.NOSE_NET, 32, 20, 60),
		new TrainingRow(Architecture.FACE_NET, 1, 100, 300),
		new TrainingRow(Architecture.FACE_NET, 32, 5, 15),
		new TrainingRow(Architecture.RESNET18, 8, 3, 8),
		new TrainingRow(Architecture.RESNET18, 32, 2, 4),
		new TrainingRow(Architecture.HEATMAP_NET, 32, 3, 8),
		new TrainingRow(Architecture.FINE_HEATMAP_NET, 32, 3, 8));

	/** The project's PyTorch heatmap networks (bench_torch.py has the report's three networks only). */
	private static final Path TORCH_HEATMAP_NET = Paths.get("scripts", "heatmap_net_torch.py");
	/** PyTorch's inference rows, measured right before KeypointJ's. */
	private static final Path TORCH_INFERENCE = Paths.get("scripts", "torch_inference.py");

	private static final Pattern TORCH_RESULT = Pattern.compile(
		"RESULT torch (train|infer) model=([\\w-]+) batch=(\\d+).*?(?:img_per_s=([\\d.]+)|median_ms=([\\d.]+))");

	private static final String ROW_ARGUMENT = "--training-row";
	private static final String ROW_HEAP = "2g";
	/** Where a training row run alone ({@code --training-row NoseNet 32}) writes PyTorch's profiler trace of its measured steps. */
	private static final String TRACE = System.getProperty("trace");
	private static final Pattern ROW_RESULT = Pattern.compile("KEYPOINTJ_ROW images_per_s=([\\d.]+) peak_mb=(-?\\d+)");

	private static final int TTA_TRAINING = 400, TTA_VALIDATION = 50, TTA_MAX_EPOCHS = 20;
	private static final int TTA_WIDTH = 80, TTA_HEIGHT = 60;
	/** 6 px at 80x60: what both networks reach within the epochs with the report's recipe. */
	private static final double TTA_TARGET_OF_WIDTH = 0.075;

	private Benchmark() {}

	public static void main(final String[] args) throws IOException, InterruptedException {
		if (args.length == 3 && args[0].equals(ROW_ARGUMENT)) {
			trainingRowProcess(Architecture.fromLabel(args[1]), Integer.parseInt(args[2]));
			return;
		}
		final Path torchScript = Paths.get(args.length > 0 ? args[0] : "../shared/bench/bench_torch.py");
		final Path folder = Files.createTempDirectory("keypointj-bench");
		KeypointEngine.get();
		System.out.printf(Locale.ROOT, "KeypointJ benchmark: %d cores, PyTorch %s (DJL), %d intra-op threads, %s%n",
			Runtime.getRuntime().availableProcessors(), KeypointEngine.get().getVersion(), JniUtils.getNumThreads(),
			java.time.LocalDate.now());
		Architecture.verifyConvolutions();
		System.out.println("CPU: " + cpuModel() + "; convolutions: " + KeypointEngine.convolutions().describe() +
			"; inference: " + InferencePath.describe() + "; layer by layer, inference layouts: " + (Convolutions.forcedInferenceLayout() == null ? "measured per layer" :
				Convolutions.inferenceLayout()) + "; native memory: " + NativeMemory.status() + (Networks.foldsBatchNorm() ? ", BatchNorm folded into the " +
				"convolutions" : ", BatchNorm on its own (-D" + Networks.FOLD_BATCHNORM_PROPERTY + "=false)"));
		final String sections = System.getProperty("bench.sections", "table,pipeline,tta");
		if (!sections.contains("table")) {
			if (sections.contains("tta")) timeToAccuracy(folder);
			return;
		}
		final boolean torchAvailable = Files.exists(torchScript);
		if (!torchAvailable) System.out.println("PyTorch reference not run: " + torchScript + " not found (pass its path).");
		else {
			System.out.println("PyTorch reference: " + torchDescription());
			for (final Architecture heatmaps : List.of(Architecture.HEATMAP_NET, Architecture.FINE_HEATMAP_NET)) {
				System.out.println("PyTorch " + heatmaps.label() + " (" + TORCH_HEATMAP_NET + ") against KeypointJ's: " +
					TorchHeatmapCheck.run(TORCH_HEATMAP_NET, folder, heatmaps));
			}
		}
		System.out.println("Each training row: PyTorch, KeypointJ, PyTorch, KeypointJ (KeypointJ each time in a fresh JVM, -Xmx" +
			ROW_HEAP + "), so that both see the same minutes of this machine and the memory figure is training alone; " +
			"each side's figure is the mean of its two rates, the memory the higher peak.");

		final List<String[]> table = new ArrayList<>();
		final String rows = System.getProperty("bench.rows", "");
		for (final TrainingRow row : TRAINING_ROWS) {
			if (!rows.isEmpty() && !Arrays.asList(rows.split(",")).contains(row.architecture().label() + ":" + row.batch())) {
				continue;
			}
			// PyTorch, KeypointJ, PyTorch, KeypointJ: a row's two sides meet the same minutes of a shared machine
			double keypointj = 0, torch = 0, peak = 0;
			for (int half = 0; half < 2; half++) {
				final Double torchRate = torchAvailable ? torchTrainingRate(torchScript, row.architecture(), row.batch()) : null;
				torch += torchRate == null ? Double.NaN : torchRate / 2;
				final double[] rateAndPeak = trainingRowInChildJvm(row);
				keypointj += rateAndPeak[0] / 2;
				peak = Math.max(peak, rateAndPeak[1]);
			}
			table.add(row("train " + row.architecture().label() + " batch " + row.batch(), "images/s", keypointj,
				Double.isNaN(torch) ? null : torch, true, (long) peak));
		}
		System.out.println("Each inference row: PyTorch, KeypointJ, PyTorch, KeypointJ, " + INFERENCE_SECONDS + " s each " +
			"after 2 s of warm-up; each side's figure is the mean of its two medians.");
		for (final Architecture architecture : Architecture.values()) {
			if (torchName(architecture) == null) continue;
			for (final int batch : inferenceBatches(architecture)) {
				resetPeakMemory();
				double keypointj = 0, torch = 0;
				for (int half = 0; half < 2; half++) {
					final Double ms = torchAvailable ? torchInferenceMs(torchScript, architecture, batch) : null;
					torch += ms == null ? Double.NaN : ms / 2;
					keypointj += inferenceMs(architecture, batch) / 2;
				}
				table.add(row("infer " + architecture.label() + " batch " + batch, "ms", keypointj, Double.isNaN(torch) ? null
					: torch, false, peakMemoryMb()));
			}
		}
		final ImagePlus gray = syntheticStack(Architecture.FACE_NET).image();
		resetPeakMemory();
		table.add(row("Detect Keypoints FaceNet, 240 x 640x480", "planes/s", detectRate(gray, folder), null, true,
			peakMemoryMb()));
		print(table);
		System.out.println("Inference layouts after the rows: " + Convolutions.inferenceLayout());
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

	/** The network's name in the PyTorch scripts' RESULT lines; null for a network the table leaves out. */
	static String torchName(final Architecture architecture) {
		return switch (architecture) {
			case NOSE_NET -> "nose";
			case FACE_NET -> "face";
			case RESNET18 -> "resnet18";
			case HEATMAP_NET -> "heatmap";
			case FINE_HEATMAP_NET -> "heatmap-fine";
		};
	}

	/**
	 * Inference at batch 1 (a photo's one object, a track's next plane) and, for the heatmap networks, at
	 * the batch in which detection runs the objects of a stack or of the object stage's marks.
	 */
	private static List<Integer> inferenceBatches(final Architecture architecture) {
		return architecture.heatmaps() ? List.of(1, KeypointDetector.BATCH) : List.of(1);
	}

	/** The processor as /proc/cpuinfo names it, with its family (AMD Zen 5 is family 26). */
	static String cpuModel() {
		try {
			final List<String> info = Files.readAllLines(Paths.get("/proc/cpuinfo"));
			final String name = info.stream().filter(l -> l.startsWith("model name")).findFirst().orElse(":?");
			final String family = info.stream().filter(l -> l.startsWith("cpu family")).findFirst().orElse(":?");
			return name.substring(name.indexOf(':') + 1).trim() + ", family " + family.substring(family.indexOf(':') + 1)
				.trim();
		}
		catch (final IOException e) {
			return System.getProperty("os.arch");
		}
	}

	/** Runs one training row in a new JVM with this classpath; its rate and peak resident memory. */
	private static double[] trainingRowInChildJvm(final TrainingRow row) throws IOException, InterruptedException {
		final String java = ProcessHandle.current().info().command().orElse("java");
		final List<String> command = new ArrayList<>(List.of(java, "-Xmx" + ROW_HEAP, "-Djava.awt.headless=true"));
		for (final String property : List.of(KeypointEngine.THREADS_PROPERTY, KeypointEngine.INTEROP_THREADS_PROPERTY,
			"keypointj.keep_native_memory", KeypointEngine.CONVOLUTIONS_PROPERTY))
		{
			if (System.getProperty(property) != null) command.add("-D" + property + "=" + System.getProperty(property));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), Benchmark.class.getName(), ROW_ARGUMENT,
			row.architecture().label(), String.valueOf(row.batch())));
		final List<String> lines = run(command);
		for (final String line : lines) {
			final Matcher m = ROW_RESULT.matcher(line);
			if (m.find()) return new double[] { Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)) };
		}
		throw new IllegalStateException("The training row " + row + " gave no result:\n" + String.join("\n", lines));
	}

	/** The training rows' stacks: 240 gray 640x480 planes (IMM's size), or 200 RGB 384x384 planes for RGB networks. */
	private static AnnotatedStack syntheticStack(final Architecture architecture) {
		if (architecture.defaultChannels() == 1) {
			return AnnotatedStack.read(SyntheticSpots.generate(240, 640, 480, 1).image(), null);
		}
		final ImagePlus rgb = SyntheticSpots.generate(200, 384, 384, 4).image();
		new ImageConverter(rgb).convertToRGB();
		return AnnotatedStack.read(rgb, null);
	}

	/** The child JVM's work: one training row on its synthetic stack; prints its rate and peak memory. */
	private static void trainingRowProcess(final Architecture architecture, final int batch) {
		final TrainingRow row = TRAINING_ROWS.stream().filter(r -> r.architecture() == architecture && r.batch() == batch)
			.findFirst().orElseThrow(() -> new IllegalArgumentException(architecture + " batch " + batch));
		final AnnotatedStack stack = syntheticStack(architecture);
		try {
			final Path folder = Files.createTempDirectory("keypointj-bench-row");
			resetPeakMemory();
			final double rate = trainingRate(row, stack, folder);
			System.out.printf(Locale.ROOT, "KEYPOINTJ_ROW images_per_s=%.3f peak_mb=%d%n", rate, peakMemoryMb());
		}
		catch (final IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		System.exit(0); // the loader's daemon threads and the engine need no orderly shutdown here
	}

	/** A training recipe for the time-to-accuracy table. */
	private record Recipe(Architecture architecture, int batch, float learningRate, String why) {}

	/**
	 * Wall time (training, validation and saving, as a user waits for it) until the validation error
	 * first reaches a fixed target, on a fixed synthetic stack: the report's recipe against faster ones.
	 */
	private static void timeToAccuracy(final Path folder) {
		// One task for both networks: the same 80x60 planes, enlarged to each network's input size (the
		// spots grow with them), so that the target is the same fraction of the plane for both.
		final SyntheticSpots.Data spots = SyntheticSpots.generate(TTA_TRAINING + TTA_VALIDATION, TTA_WIDTH, TTA_HEIGHT, 11);
		final Map<Architecture, AnnotatedStack> stacks = new LinkedHashMap<>();
		for (final Architecture architecture : List.of(Architecture.NOSE_NET, Architecture.FACE_NET)) {
			stacks.put(architecture, enlarged(spots, architecture.defaultWidth(), architecture.defaultHeight()));
		}
		System.out.printf(Locale.ROOT, "Time to accuracy: %d synthetic %dx%d planes (2 keypoints) enlarged to each " +
			"network's input size, %d for validation; target: validation error <= %.1f %% of the plane width (%.1f px " +
			"at 80x60, %.1f px at 160x120), at most %d epochs%n", TTA_TRAINING + TTA_VALIDATION, TTA_WIDTH, TTA_HEIGHT,
			TTA_VALIDATION, 100 * TTA_TARGET_OF_WIDTH, TTA_TARGET_OF_WIDTH * 80, TTA_TARGET_OF_WIDTH * 160, TTA_MAX_EPOCHS);
		System.out.println("| network | recipe | epochs to target | seconds to target | best error px |");
		System.out.println("|---|---|---|---|---|");
		for (final Recipe recipe : List.of(
			new Recipe(Architecture.NOSE_NET, 1, 1e-3f, "report: batch 1, lr 1e-3"),
			new Recipe(Architecture.NOSE_NET, 4, 1e-3f, "batch 4, lr 1e-3"),
			new Recipe(Architecture.NOSE_NET, 8, 2e-3f, "batch 8, lr 2e-3"),
			new Recipe(Architecture.FACE_NET, 1, 1e-3f, "report: batch 1, lr 1e-3"),
			new Recipe(Architecture.FACE_NET, 4, 1e-3f, "batch 4, lr 1e-3"),
			new Recipe(Architecture.FACE_NET, 8, 2e-3f, "batch 8, lr 2e-3")))
		{
			final double target = TTA_TARGET_OF_WIDTH * recipe.architecture().defaultWidth();
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
					if (Double.isNaN(reached[0]) && record.validationErrorPx() <= target) {
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

	/** The spots stack enlarged (bilinear) to width x height, its truth scaled with it. */
	private static AnnotatedStack enlarged(final SyntheticSpots.Data spots, final int width, final int height) {
		final ImagePlus image = spots.image().resize(width, height, "bilinear");
		image.setOverlay(null); // whether or not resize scaled the annotations, they are written anew below
		final double sx = (double) width / spots.image().getWidth(), sy = (double) height / spots.image().getHeight();
		final List<PlaneKeypoints> truth = new ArrayList<>();
		for (final PlaneKeypoints plane : spots.truth()) {
			final double[] x = plane.x().clone(), y = plane.y().clone();
			for (int i = 0; i < x.length; i++) {
				x[i] *= sx;
				y[i] *= sy;
			}
			truth.add(new PlaneKeypoints(plane.plane(), CropBox.wholeImage(width, height), x, y));
		}
		AnnotatedStack.annotate(image, truth, SyntheticSpots.NAMES, null);
		return AnnotatedStack.read(image, null);
	}

	/** The keypoints each network predicts in the report: the nose tip, IMM's 58 points, iBUG's 68. */
	static int reportKeypoints(final Architecture architecture) {
		return architecture == Architecture.FACE_NET ? 58 : architecture == Architecture.NOSE_NET ? 1 : 68;
	}

	/**
	 * A training row's rate: its batch over the median step after the warm-up, which lasts
	 * {@value #WARMUP_SECONDS} s and at least the row's warm-up steps. The fresh JVM compiles the training
	 * loop's Java code during its first seconds, on one of the two cores the training uses: NoseNet at batch
	 * 32 measured after 20 steps (0.5 s) ran at 1,190-1,210 images/s, after 200 or 400 at 1,460-1,530.
	 */
	private static double trainingRate(final TrainingRow row, final AnnotatedStack stack, final Path folder) {
		final List<Long> stepEnds = new ArrayList<>();
		final int[] warmupSteps = { -1 };
		final Progress stopAfterSteps = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {}

			@Override
			public boolean isCanceled() {
				return warmupSteps[0] >= 0 && stepEnds.size() > warmupSteps[0] + row.measured();
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
				final long now = System.nanoTime();
				stepEnds.add(now);
				final int steps = stepEnds.size() - 1;
				if (warmupSteps[0] < 0 && steps >= row.warmup() && now - stepEnds.get(0) >= WARMUP_SECONDS * 1_000_000_000L) {
					warmupSteps[0] = steps;
					if (TRACE != null) JniUtils.startProfile(false, true, false);
				}
			}
		}, stopAfterSteps);
		final int first = warmupSteps[0];
		if (TRACE != null && first >= 0) JniUtils.stopProfile(TRACE);
		if (first < 0) throw new IllegalStateException("The training row " + row + " ended during its warm-up");
		final double[] stepSeconds = new double[stepEnds.size() - 1 - first];
		for (int i = 0; i < stepSeconds.length; i++) {
			stepSeconds[i] = (stepEnds.get(first + i + 1) - stepEnds.get(first + i)) / 1e9;
		}
		return row.batch() / median(stepSeconds);
	}

	/** The shortest warm-up of a training row, in seconds (see {@link #trainingRate}). */
	private static final int WARMUP_SECONDS = 5;

	/** Seconds of each half of an inference row, per side (PyTorch's as long). */
	private static final int INFERENCE_SECONDS = 5;

	/** The median time of one forward pass at {@code batch}, over {@value #INFERENCE_SECONDS} s after two seconds of warm-up. */
	private static double inferenceMs(final Architecture architecture, final int batch) {
		final ModelDescription description = ModelDescription.of("bench", architecture, architecture.defaultWidth(),
			architecture.defaultHeight(), AnnotatedStack.numberedNames(reportKeypoints(architecture)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[batch * model.inputSize()];
			final Random random = new Random(1);
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			// Two seconds of warm-up, as long as PyTorch's: the JVM compiles the prediction's Java path meanwhile.
			final long warm = System.nanoTime() + 2_000_000_000L;
			for (int i = 0; i < 10 || System.nanoTime() < warm; i++) model.predict(input, batch);
			final List<Double> ms = new ArrayList<>();
			final long end = System.nanoTime() + INFERENCE_SECONDS * 1_000_000_000L;
			while (ms.size() < 10 || System.nanoTime() < end) {
				final long start = System.nanoTime();
				model.predict(input, batch);
				ms.add((System.nanoTime() - start) / 1e6);
			}
			return median(ms.stream().mapToDouble(Double::doubleValue).toArray());
		}
	}

	private static double detectRate(final ImagePlus stack, final Path folder) {
		final Path file = folder.resolve("face.zip");
		final ModelDescription description = ModelDescription.of("bench", Architecture.FACE_NET, 160, 120,
			AnnotatedStack.numberedNames(reportKeypoints(Architecture.FACE_NET)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			ModelFile.save(model, file);
		}
		final ImagePlus image = stack.duplicate();
		Detection.run(image, new DetectionRequest(file, false, Region.WHOLE_IMAGE, DeviceChoice.AUTO, 0), Progress.NONE);
		final long start = System.nanoTime();
		Detection.run(image, new DetectionRequest(file, true, Region.WHOLE_IMAGE, DeviceChoice.AUTO, 0), Progress.NONE);
		return image.getStackSize() / ((System.nanoTime() - start) / 1e9);
	}

	/** PyTorch eager's median forward pass of one network at {@code batch} (scripts/torch_inference.py); null if it failed. */
	private static Double torchInferenceMs(final Path script, final Architecture architecture, final int batch)
		throws IOException, InterruptedException
	{
		return torchFigure(List.of("/usr/bin/python3", TORCH_INFERENCE.toString(), script.toString(), torchName(
			architecture), String.valueOf(batch), String.valueOf(INFERENCE_SECONDS)), "infer");
	}

	/**
	 * PyTorch's training rate (images/s) for one network and batch; null if it failed. The heatmap networks train
	 * with as many keypoints as the synthetic stack has, as their KeypointJ rows.
	 */
	private static Double torchTrainingRate(final Path script, final Architecture architecture, final int batch)
		throws IOException, InterruptedException
	{
		return torchFigure(architecture.heatmaps()
			? List.of("/usr/bin/python3", TORCH_HEATMAP_NET.toString(), "bench", String.valueOf(SyntheticSpots.NAMES.size()),
				String.valueOf(batch), "12", torchName(architecture))
			: List.of("/usr/bin/python3", script.toString(), torchName(architecture), String.valueOf(batch),
				architecture.defaultChannels() == 3 ? "12" : "8"), "train");
	}

	/** The figure of the first "RESULT torch {@code kind}" line the command prints; null, with its output, if none. */
	private static Double torchFigure(final List<String> command, final String kind)
		throws IOException, InterruptedException
	{
		final List<String> lines = run(command);
		for (final String line : lines) {
			final Matcher m = TORCH_RESULT.matcher(line);
			if (m.find() && m.group(1).equals(kind)) return Double.parseDouble(m.group(4) != null ? m.group(4) : m.group(5));
		}
		System.out.println("PyTorch reference failed (is python3-torch installed?):\n" + String.join("\n", lines));
		return null;
	}

	/** PyTorch's version and the BLAS it runs its matrix products with (Debian's reference BLAS is 50x slower). */
	private static String torchDescription() throws IOException, InterruptedException {
		final List<String> lines = run(List.of("/usr/bin/python3", "-c", "import torch, os; print('PyTorch', torch." +
			"__version__, 'BLAS:', os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3'))"));
		return lines.isEmpty() ? "unknown" : lines.get(lines.size() - 1);
	}

	/** Runs a command to its end; its output lines (standard error included). */
	static List<String> run(final List<String> command) throws IOException, InterruptedException {
		final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		final List<String> lines = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
			StandardCharsets.UTF_8)))
		{
			for (String line; (line = in.readLine()) != null;) lines.add(line);
		}
		process.waitFor();
		return lines;
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
