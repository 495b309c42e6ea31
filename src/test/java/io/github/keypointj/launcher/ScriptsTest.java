package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.keypointj.data.KeypointOverlay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** The macros in scripts/, run headless as scripts/imagej runs them, on the sample data or generated data. */
// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class ScriptsTest {

	private static final Path SCRIPTS = Paths.get("scripts");

	@TempDir
	Path folder;

	@AfterEach
	void leaveBatchMode() {
		Interpreter.batchMode = false;
	}

	private static int run(final String script, final String argument) throws Exception {
		return Launcher.runHeadless(new Context(), SCRIPTS.resolve(script), argument);
	}

	@Test
	void theMainJobDetectsOnTheSampleStack() throws Exception {
		final Path out = folder.resolve("output");
		assertEquals(0, run("detect_demo.ijm", out.toString()));
		assertEquals(1 + 12 * 2, Files.readAllLines(out.resolve("spots-keypoints.csv")).size());
		final ImagePlus detected = IJ.openImage(out.resolve("spots-detected.tif").toString());
		assertEquals(12, KeypointOverlay.detections(detected).size());
	}

	@Test
	void theMainJobFindsTheFacesOnTheSamplePhotos() throws Exception {
		final Path out = folder.resolve("output");
		// the README's main job: the photos, the heatmap model, no face boxes: it finds every face itself
		assertEquals(0, run("batch_detect.ijm", "input=[sample-images/photos] output=[" + out + "]"));
		final List<String> rows = Files.readAllLines(out.resolve("keypoints.csv"));
		assertEquals("file,object,point,name,x,y,confidence", rows.get(0));
		final Map<String, Integer> faces = Map.of("astronaut", 1, "camera", 1, "grace_hopper", 1, "two-faces", 2);
		assertEquals(1 + 5 * 68, rows.size());
		for (final Map.Entry<String, Integer> photo : faces.entrySet()) {
			final String name = photo.getKey();
			assertEquals(photo.getValue(), KeypointOverlay.detections(IJ.openImage(out.resolve(name + "-keypoints.tif")
				.toString())).size(), name);
			final ImagePlus flattened = IJ.openImage(out.resolve(name + "-keypoints.png").toString());
			assertEquals(ImagePlus.COLOR_RGB, flattened.getType(), name);
		}
		for (final String row : rows.subList(1, rows.size())) {
			final double confidence = Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
			assertTrue(confidence >= 0 && confidence <= 1, row);
		}
	}

	@Test
	void theGuidesPicturesAreRenderedHeadless() throws Exception {
		final Path out = folder.resolve("guide");
		assertEquals(0, run("render_guide.ijm", out.toString()));
		for (final String picture : List.of("detect-grace_hopper", "detect-astronaut", "detect-camera", "detect-two-faces",
			"detect-resnet-grace_hopper", "detect-no-box",
			"loss-curves", "filters", "best-worst", "training-samples")) {
			final ImagePlus image = IJ.openImage(out.resolve(picture + ".png").toString());
			assertTrue(image != null && image.getWidth() > 100, picture);
		}
		// 6 best/worst planes of 80x60 at scale 2 in one row, 8 samples of 160x120 in two rows of 4
		assertEquals(6 * 160, IJ.openImage(out.resolve("best-worst.png").toString()).getWidth(), 20);
		assertEquals(2 * 120, IJ.openImage(out.resolve("training-samples.png").toString()).getHeight(), 10);
	}

	/** Issue 26, case 5: a folder that is not there, or model=[], is a failure the exit code tells. */
	@Test
	void batchDetectionWithoutItsFolderOrModelExitsWithOne() throws Exception {
		final Path out = folder.resolve("out");
		assertEquals(1, run("batch_detect.ijm", "input=[" + folder.resolve("no such folder") + "] output=[" + out + "]"));
		assertFalse(Files.exists(out), "nothing written");
		final Path input = Files.createDirectories(folder.resolve("in"));
		Files.copy(Paths.get("sample-images/photos/camera.png"), input.resolve("camera.png"));
		assertEquals(1, run("batch_detect.ijm", "input=[" + input + "] model=[] output=[" + out + "]"));
	}

	@Test
	void batchDetectionSkipsWhatItCannotReadAndGoesOn() throws Exception {
		final Path input = Files.createDirectories(folder.resolve("in with spaces"));
		for (final String photo : List.of("astronaut.png", "camera.png", "grace_hopper.jpg")) {
			Files.copy(Paths.get("sample-images/photos", photo), input.resolve(photo));
		}
		Files.write(input.resolve("broken.jpg"), new byte[] { (byte) 0xff, (byte) 0xd8, 1, 2, 3 });
		Files.writeString(input.resolve("notes.txt"), "not an image");
		final Path out = folder.resolve("out");
		assertEquals(0, run("batch_detect.ijm", "input=[" + input + "] model=[sample-images/models/spots-nosenet.zip] output=[" +
			out + "] device=cpu"));
		final List<String> rows = Files.readAllLines(out.resolve("keypoints.csv"));
		assertEquals("file,object,point,name,x,y,confidence", rows.get(0));
		assertEquals(1 + 3 * 2, rows.size(), rows.toString());
		assertTrue(rows.stream().anyMatch(r -> r.startsWith("grace_hopper.jpg,1,2,square,") && r.endsWith(",NaN")),
			rows.toString());
		for (final String name : List.of("astronaut", "camera", "grace_hopper")) {
			final ImagePlus annotated = IJ.openImage(out.resolve(name + "-keypoints.tif").toString());
			assertEquals(1, KeypointOverlay.detections(annotated).size(), name);
		}
	}

	@Test
	void trainFromAFolderOfLandmarkFiles() throws Exception {
		final Path input = Files.createDirectories(folder.resolve("wings"));
		for (int i = 0; i < 10; i++) io.github.keypointj.io.DatasetFiles.ptsFace(input, "wing" + i, 120, 100, false, 5, i);
		final Path out = folder.resolve("wing model");
		assertEquals(0, run("train_from_folder.ijm", "input=[" + input + "] format=pts architecture=NoseNet size=64 " +
			"epochs=2 batch_size=2 validation=0.2 device=cpu output=[" + out + "]"));
		assertEquals(2, io.github.keypointj.model.ModelFile.readDescription(out.resolve("model.zip")).history().size());
		assertEquals(1 + 10, Files.readAllLines(out.resolve("evaluation.csv")).size());
		assertTrue(Files.exists(out.resolve("loss.png")));
		// a second run does not replace the model: the script stops with the command's message
		assertEquals(1, run("train_from_folder.ijm", "input=[" + input + "] format=pts architecture=NoseNet size=64 " +
			"epochs=2 batch_size=2 validation=0.2 device=cpu output=[" + out + "]"));
	}

	@Test
	void theReportsNoseExperimentOnTheRealData() throws Exception {
		final Path data = Paths.get("..", "shared", "datasets");
		assumeTrue(Files.isDirectory(data.resolve("imm_face_db")), "../shared/datasets is absent");
		final Path out = folder.resolve("results");
		assertEquals(0, run("reproduce_report.ijm", "data=" + data + " out=" + out + " which=nose seed=0"));
		final String results = Files.readString(out.resolve("results.md"));
		assertTrue(results.contains("| nose | 48.00 |"), results);
		for (final String file : List.of("nose.zip", "nose-loss.png", "nose-filters.png", "nose-best-worst.tif")) {
			assertTrue(Files.exists(out.resolve(file)), file);
		}
	}
}
