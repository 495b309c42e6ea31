package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keypointj.io.DatasetFiles;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users run, run where they run it: the README's main job, an import, train, evaluate and detect chain,
 * and misuse, as headless macros in a real ImageJ2 + imagej-legacy runtime ({@code ../shared/fiji-runtime},
 * the versions Fiji ships), with KeypointJ installed into a copy of it as Fiji would hold it. KeypointJ's own
 * launcher differs from it in ways only this shows (tests of the launcher passed while Fiji lost a command's
 * images, ignored misspelled keys and said nothing without an image). Skipped where ../shared is absent.
 */
@Tag("slow")
class FijiRuntimeTest {

	private static final Path RUNTIME = Paths.get("..", "shared", "fiji-runtime");

	@TempDir
	static Path folder;

	private static Path app;

	@BeforeAll
	static void install() throws IOException {
		assumeTrue(Files.isRegularFile(RUNTIME.resolve("run-imagej2.sh")), "../shared/fiji-runtime is absent");
		app = folder.resolve("Fiji.app");
		copyTree(RUNTIME, app);
		final Path jars = app.resolve("jars");
		jar(Paths.get("target", "classes"), jars.resolve("keypointj.jar"));
		// the dependencies Fiji does not ship: DJL, and the natives where Fiji keeps this platform's jars
		final Set<String> shipped;
		try (Stream<Path> present = Files.list(jars)) {
			shipped = present.map(p -> artifact(p.getFileName().toString())).collect(Collectors.toSet());
		}
		for (final String entry : Files.readString(Paths.get("target", "classpath.txt")).trim().split(File.pathSeparator)) {
			final Path dependency = Paths.get(entry);
			final String name = dependency.getFileName().toString();
			if (shipped.contains(artifact(name))) continue;
			final Path to = name.startsWith("pytorch-native-") ? Files.createDirectories(jars.resolve("linux64")) : jars;
			Files.copy(dependency, to.resolve(name));
		}
	}

	@Test
	void theReadmesMainJobFindsEveryFaceInImageJ2() throws Exception {
		final Path out = folder.resolve("main job");
		final Run run = fiji(Paths.get("scripts", "batch_detect.ijm").toAbsolutePath(), "input=[" + Paths.get(
			"sample-images", "photos").toAbsolutePath() + "] model=[" + Paths.get("sample-images", "models",
				"300w-face-68-heatmap.zip").toAbsolutePath() + "] output=[" + out + "]");
		assertEquals(0, run.exitCode, run.output);
		assertEquals(1 + 5 * 68, Files.readAllLines(out.resolve("keypoints.csv")).size(), run.output);
		assertTrue(Files.exists(out.resolve("two-faces-keypoints.png")), run.output);
		// one line from KeypointJ about the engine; none of DJL's or libtorch's noise
		assertTrue(run.output.contains("KeypointJ: PyTorch 2.5.1, natives cpu"), run.output);
		for (final String noise : List.of("Failed to detect GPU count", "graph executor optimizer",
			"AutoNonVariableTypeMode", "NNPACK", "Cannot load class: ij."))
		{
			assertFalse(run.output.contains(noise), noise + " in:\n" + run.output);
		}
		// nor a stray value: Fiji prints what a macro's last statement gives
		assertFalse(run.output.lines().anyMatch("0"::equals), run.output);
	}

	@Test
	void importTrainEvaluateAndDetectChainInImageJ2() throws Exception {
		final Path input = Files.createDirectories(folder.resolve("wings"));
		for (int i = 0; i < 10; i++) DatasetFiles.ptsFace(input, "wing" + i, 120, 100, false, 5, i);
		final Path out = folder.resolve("wing model");
		// import, train, evaluate, the loss plot saved: each step needs the image the one before returned
		final Run train = fiji(Paths.get("scripts", "train_from_folder.ijm").toAbsolutePath(), "input=[" + input +
			"] format=pts architecture=NoseNet size=64 epochs=2 batch_size=2 validation=0.2 device=cpu output=[" + out +
			"]");
		assertEquals(0, train.exitCode, train.output);
		assertTrue(train.output.contains("Imported 10 planes"), train.output);
		assertEquals(1 + 10, Files.readAllLines(out.resolve("evaluation.csv")).size(), train.output);
		assertTrue(Files.exists(out.resolve("loss.png")), train.output);
		final Path detect = macro("detect.ijm",
			"open('" + input.resolve("wing3.png") + "');",
			"run('Detect Keypoints', 'model=[" + out.resolve("model.zip") + "] region=[whole image] show_table=true " +
				"device=cpu');",
			"print('keypoints in Results: ' + nResults + ', in the overlay: ' + Overlay.size);");
		final Run detected = fiji(detect, "");
		assertEquals(0, detected.exitCode, detected.output);
		assertTrue(detected.output.contains("keypoints in Results: 5, in the overlay: 1"), detected.output);
	}

	@Test
	void misuseIsNamedAndTheExitCodeTellsABatchJob() throws Exception {
		final String model = Paths.get("sample-images", "models", "300w-face-68-heatmap.zip").toAbsolutePath().toString();
		final Path misuse = macro("misuse.ijm",
			"run('Train Keypoint Model', 'epochs=1 output=[" + folder.resolve("m.zip") + "]');",
			"print('after no image: ' + call('io.github.keypointj.commands.MacroFunctions.lastError'));",
			"newImage('x', '8-bit ramp', 160, 120, 1);",
			"run('Detect Keypoints', 'modle=[" + model + "] regoin=[whole image]');",
			"run('Detect Keypoints', 'model=[" + model + "] refine_rounds=abc');",
			"print('overlay: ' + Overlay.size);",
			"call('io.github.keypointj.commands.MacroFunctions.exitOnFailure');",
			"print('not reached');");
		final Run run = fiji(misuse, "");
		assertEquals(1, run.exitCode, run.output);
		assertTrue(run.output.contains("after no image: There is no image open"), run.output);
		assertTrue(run.output.contains("'modle', 'regoin' are not keys of Detect Keypoints"), run.output);
		assertTrue(run.output.contains("refine_rounds=abc is not a whole number"), run.output);
		assertTrue(run.output.contains("overlay: 0"), run.output);
		assertTrue(run.output.contains("KeypointJ: 3 command(s) failed; exit code 1."), run.output);
		assertFalse(run.output.contains("not reached"), run.output);
		assertFalse(run.output.contains("Exception"), run.output);
	}

	/**
	 * Every line of docs/MACROS.md, as printed there, with only its /path/to/... placeholders filled in, one
	 * after the other in one macro: a line the reference gives that Fiji refuses or fails fails here.
	 */
	@Test
	void everyLineOfTheMacroReferenceRunsInImageJ2() throws Exception {
		final Map<String, String> lines = new LinkedHashMap<>();
		final Matcher line = Pattern.compile("(?m)^run\\(\"([^\"]+)\", \"(.*)\"\\);$").matcher(Files.readString(Paths.get(
			"docs", "MACROS.md")));
		while (line.find()) lines.put(line.group(1), line.group(0));
		final int commands = lines.size();
		final Path data = Files.createDirectories(folder.resolve("reference"));
		final Path imm = Files.createDirectories(data.resolve("imm"));
		for (int i = 0; i < 8; i++) DatasetFiles.immFace(imm, String.format("%02d-1m", i + 1), 320, 240, false, 58, i);
		final Path photos = Paths.get("sample-images", "photos").toAbsolutePath();
		final Path boxes = Files.writeString(data.resolve("boxes.xml"), "<dataset><images><image file='" + photos.resolve(
			"astronaut.png") + "'><box top='80' left='172' width='120' height='110'/></image><image file='" + photos
				.resolve("grace_hopper.jpg") + "'><box top='170' left='168' width='195' height='175'/></image></images>" +
			"</dataset>");
		final Path model = data.resolve("nose net.zip"), annotations = data.resolve("annotations.csv"), kaggle = data
			.resolve("kaggle.csv");
		final String faces68 = Paths.get("sample-images", "models", "300w-face-68.zip").toAbsolutePath().toString();
		final List<String> macro = new ArrayList<>(List.of(
			"function ran(command) { e = call('io.github.keypointj.commands.MacroFunctions.lastError'); " +
				"if (e == '') e = 'ok'; print('reference line ' + command + ': ' + e); }"));
		final Function<String, String> runLine = command -> {
			final String reference = lines.remove(command);
			assertNotNull(reference, command + " is not in docs/MACROS.md");
			return reference + " ran('" + command + "');";
		};
		macro.add(runLine.apply("About KeypointJ"));
		macro.add(runLine.apply("IMM Face Database...").replace("/path/to/folder", "[" + imm + "]"));
		macro.add("stack = getImageID();");
		macro.add(runLine.apply("Preview Training Samples"));
		macro.add("selectImage(stack);");
		macro.add(runLine.apply("Train Keypoint Model").replace("/path/to/output", "[" + model + "]"));
		macro.add(runLine.apply("Show Training History").replace("/path/to/model", "[" + model + "]"));
		macro.add(runLine.apply("Show Learned Filters").replace("/path/to/model", "[" + model + "]"));
		macro.add("selectImage(stack);");
		macro.add(runLine.apply("Evaluate Keypoint Model").replace("/path/to/model", "[" + model + "]"));
		macro.add("selectImage(stack);");
		macro.add(runLine.apply("Detect Keypoints").replace("/path/to/model", "[" + model + "]"));
		macro.add(runLine.apply("Keypoints as CSV").replace("/path/to/csv_file", "[" + annotations + "]"));
		// onto a copy without annotations: the CSV's points come back
		macro.add("run('Duplicate...', 'duplicate'); Overlay.remove;");
		macro.add(runLine.apply("Keypoints from CSV...").replace("/path/to/csv_file", "[" + annotations + "]"));
		macro.add("print('points back from the CSV: ' + Overlay.size);");
		macro.add(runLine.apply("Landmark Files...").replace("/path/to/source", "[" + boxes + "]"));
		macro.add(runLine.apply("Kaggle Predictions").replace("/path/to/model", "[" + faces68 + "]").replace(
			"/path/to/csv_file", "[" + kaggle + "]"));
		// after Kaggle Predictions, which runs on the Landmark Files stack
		final Path video = Files.createDirectories(data.resolve("labeled-data").resolve("mouse"));
		final StringBuilder labels = new StringBuilder("scorer,,,me,me,me,me\nbodyparts,,,nose,nose,tail,tail\n" +
			"coords,,,x,y,x,y\n");
		for (int i = 0; i < 3; i++) {
			new ij.io.FileSaver(ij.IJ.createImage("frame", "8-bit ramp", 64, 48, 1)).saveAsPng(video.resolve("img" + i +
				".png").toString());
			labels.append("labeled-data,mouse,img").append(i).append(".png,").append(10 + i).append(",20,40,30\n");
		}
		final Path collected = Files.writeString(video.resolve("CollectedData_me.csv"), labels);
		macro.add(runLine.apply("DeepLabCut Labels...").replace("/path/to/csv_file", "[" + collected + "]"));
		macro.add("print('DeepLabCut frames: ' + nSlices + ', ' + Overlay.size + ' point sets');");
		final Path slp = data.resolve("mouse.pkg.slp"); // jHDF and what it needs, in Fiji's class path
		try (java.io.InputStream in = FijiRuntimeTest.class.getResourceAsStream("/io/github/keypointj/io/sleap/mouse.pkg.slp")) {
			Files.copy(in, slp);
		}
		macro.add(runLine.apply("SLEAP Labels...").replace("/path/to/slp_file", "[" + slp + "]"));
		macro.add("print('SLEAP frames: ' + nSlices + ', ' + Overlay.size + ' point sets');");
		macro.add("failed = call('io.github.keypointj.commands.MacroFunctions.exitOnFailure');");
		assertEquals(Map.of(), lines, "lines of docs/MACROS.md this test does not run");
		final Run run = fiji(Files.write(data.resolve("reference.ijm"), macro), "");
		assertEquals(0, run.exitCode, run.output);
		final long ok = run.output.lines().filter(printed -> printed.startsWith("reference line ") && printed.endsWith(
			": ok")).count();
		assertEquals(commands, ok, run.output);
		assertTrue(Files.isRegularFile(model), run.output);
		assertEquals(1 + 8 * 58, Files.readAllLines(annotations).size(), run.output);
		assertTrue(run.output.contains("points back from the CSV: 8"), run.output);
		assertTrue(run.output.contains("DeepLabCut frames: 3, 3 point sets"), run.output);
		assertTrue(run.output.contains("SLEAP frames: 2, 3 point sets"), run.output);
		assertEquals(1 + 2 * 68 * 2, Files.readAllLines(kaggle).size(), run.output);
	}

	private record Run(int exitCode, String output) {}

	private static Run fiji(final Path macro, final String argument) throws Exception {
		final Path log = Files.createTempFile(folder, "fiji", ".log");
		final Process process = new ProcessBuilder("bash", app.resolve("run-imagej2.sh").toString(), "--headless",
			"-macro", macro.toString(), argument).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("ImageJ2 did not end in 10 minutes:\n" + Files.readString(log));
		}
		return new Run(process.exitValue(), Files.readString(log));
	}

	private static Path macro(final String name, final String... lines) throws IOException {
		return Files.writeString(folder.resolve(name), String.join("\n", lines) + "\n");
	}

	/** "pytorch-engine-0.33.0.jar" -> "pytorch-engine": the artifact, whatever its version. */
	private static String artifact(final String jar) {
		return jar.replaceFirst("-\\d[^-]*(-[^-]*)?\\.jar$", "").replaceFirst("\\.jar$", "");
	}

	private static void jar(final Path classes, final Path jar) throws IOException {
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
			Stream<Path> files = Files.walk(classes))
		{
			for (final Path path : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
				out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
				Files.copy(path, out);
				out.closeEntry();
			}
		}
	}

	private static void copyTree(final Path from, final Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (final Path path : (Iterable<Path>) paths::iterator) {
				final Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) Files.createDirectories(target);
				else Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
		// read-only where CI runs: the copy must be writable
		try (Stream<Path> paths = Files.walk(to)) {
			paths.forEach(path -> path.toFile().setWritable(true));
		}
		assertTrue(Files.isDirectory(to.resolve("jars")), "no jars/ in " + to);
	}
}
