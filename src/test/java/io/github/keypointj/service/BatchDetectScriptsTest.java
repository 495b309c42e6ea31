package io.github.keypointj.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import ij.IJ;
import ij.ImagePlus;
import io.github.keypointj.data.KeypointOverlay;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.python.util.PythonInterpreter;
import org.scijava.Context;
import org.scijava.log.LogService;

/**
 * scripts/Batch_Detect.groovy and scripts/Batch_Detect.py, run with the script languages Fiji ships
 * (the versions pom-scijava gives) and KeypointJ's real service, their {@code #@} inputs given as SciJava
 * gives them: a script that no longer matches the API fails here, not in a user's Script Editor.
 */
@Tag("slow")
class BatchDetectScriptsTest {

	private static final Path SCRIPTS = Paths.get("scripts");

	@TempDir
	static Path folder;

	private static Context context;

	private static Path input;

	@BeforeAll
	static void setUp() throws Exception {
		context = new Context(KeypointService.class, LogService.class);
		input = Files.createDirectories(folder.resolve("photos and more"));
		for (final String photo : List.of("astronaut.png", "camera.png")) {
			Files.copy(Paths.get("sample-images", "photos", photo), input.resolve(photo));
		}
		Files.write(input.resolve("broken.jpg"), new byte[] { (byte) 0xff, (byte) 0xd8, 1, 2, 3 });
		Files.writeString(input.resolve("notes.txt"), "not an image");
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	@Test
	void theGroovyScriptDetectsOnEveryImageAndSkipsTheRest() throws Exception {
		final Path output = Files.createDirectories(folder.resolve("groovy"));
		final Binding inputs = new Binding();
		inputs(output).forEach(inputs::setVariable);
		// SciJava reads the #@ lines and hands the rest to the language
		new GroovyShell(inputs).evaluate(withoutParameterLines(SCRIPTS.resolve("Batch_Detect.groovy")));
		assertDetected(output);
	}

	@Test
	void thePythonScriptDetectsOnEveryImageAndSkipsTheRest() throws Exception {
		final Path output = Files.createDirectories(folder.resolve("python"));
		try (PythonInterpreter python = new PythonInterpreter()) {
			inputs(output).forEach(python::set);
			python.execfile(SCRIPTS.resolve("Batch_Detect.py").toString());
		}
		assertDetected(output);
	}

	/** The script's #@ inputs: two photos, a broken JPEG and a text file; the demo spots model. */
	private static Map<String, Object> inputs(final Path output) {
		return Map.of("input", input.toFile(), "model", new File("sample-images/models/spots-nosenet.zip"), "output",
			output.toFile(), "region", "whole image", "keypoints", context.service(KeypointService.class), "log", context
				.service(LogService.class));
	}

	private static void assertDetected(final Path output) throws Exception {
		final List<String> rows = Files.readAllLines(output.resolve("keypoints.csv"));
		assertEquals("file,object,point,name,x,y,confidence", rows.get(0));
		// one object of the model's 2 points on each photo; the broken JPEG and the text file skipped
		assertEquals(List.of("astronaut.png,1,1", "astronaut.png,1,2", "camera.png,1,1", "camera.png,1,2"), rows.subList(1,
			rows.size()).stream().map(row -> String.join(",", List.of(row.split(",")).subList(0, 3))).collect(Collectors
				.toList()));
		for (final String photo : List.of("astronaut", "camera")) {
			final ImagePlus annotated = IJ.openImage(output.resolve(photo + "-keypoints.tif").toString());
			assertEquals(1, KeypointOverlay.detections(annotated).size(), photo);
		}
		assertTrue(Files.notExists(output.resolve("broken-keypoints.tif")));
	}

	private static String withoutParameterLines(final Path script) throws Exception {
		return Files.readAllLines(script).stream().map(line -> line.startsWith("#@") ? "" : line).collect(Collectors
			.joining("\n"));
	}
}
