package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.NativeMemory;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.ModelDescription;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionTest {

	@TempDir
	Path folder;

	/** While Java shuts down, no detection enters the engine, and the image is left as it was. */
	@Test
	void noDetectionStartsWhileJavaShutsDown() {
		final Path model = TestModels.constant(folder.resolve("m.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			new float[] { 0.25f, 0.5f, 0.75f, 0.1f });
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		final ShutdownGuard guard = new ShutdownGuard();
		guard.stopAndWait();
		final KeypointException e = assertThrows(KeypointException.class, () -> Detection.run(image,
			new DetectionRequest(model, true, Region.WHOLE_IMAGE, DeviceChoice.CPU, 0), Progress.NONE, guard));
		assertEquals("Java is shutting down: the detection did not start.", e.getMessage());
		assertNull(image.getOverlay());
	}

	@Test
	void aConfidenceOutsideZeroToOneIsNamed() {
		final Path model = TestModels.constant(folder.resolve("m.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			new float[] { 0.25f, 0.5f, 0.75f, 0.1f });
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final KeypointException e = assertThrows(KeypointException.class, () -> Detection.run(image,
			new DetectionRequest(model, true, Region.WHOLE_IMAGE, DeviceChoice.CPU, 0, null, false, 1.5), Progress.NONE));
		assertEquals("min_confidence=1.5 is not between 0 and 1.", e.getMessage());
		assertNull(image.getOverlay());
	}

	/** The table has a confidence per point; the user's summary gives each object's mean and flags the weak. */
	/** Issue 26, case 10: each detection hands the memory it freed back, or a batch's arenas keep it all. */
	@Test
	void eachDetectionHandsBackTheMemoryItFreed() {
		assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"), "glibc only");
		final Path model = TestModels.constant(folder.resolve("m.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			new float[] { 0.25f, 0.5f, 0.75f, 0.1f });
		final int before = NativeMemory.handedBack();
		Detection.run(TestImages.stack("8-bit", 64, 48, 1), new DetectionRequest(model, true, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, 0), Progress.NONE);
		assertEquals(before + 1, NativeMemory.handedBack());
		assertThrows(KeypointException.class, () -> Detection.run(TestImages.stack("8-bit", 64, 48, 1),
			new DetectionRequest(model, true, Region.WHOLE_IMAGE, DeviceChoice.CPU, -1), Progress.NONE));
		assertEquals(before + 2, NativeMemory.handedBack(), "a failed one too");
	}

	@Test
	void confidenceGoesIntoTheTableAndTheSummary() {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		final ModelDescription description = TestModels.small(2, 1, CropRecipe.wholeRegion());
		final PlanePosition plane = new PlanePosition(2, 1, 2, 1);
		final DetectedObject sure = new DetectedObject(new PlaneKeypoints(plane, null, new double[] { 1, 2 },
			new double[] { 3, 4 }), new float[] { 0.9f, 0.7f });
		final DetectedObject weak = new DetectedObject(new PlaneKeypoints(plane, null, new double[] { 5, 6 },
			new double[] { 7, 8 }), new float[] { 0.1f, 0.2f });
		final DetectionResult result = new DetectionResult(description, List.of(sure, weak), false, List.of());
		final ResultsTable table = KeypointTable.of(image, result);
		assertEquals(4, table.size());
		assertEquals(0.7, table.getValue("Confidence", 1), 1e-6);
		assertEquals(2, table.getValue("Object", 3));
		assertEquals(2, table.getValue("Point", 3), "points count from 1, as their names do");
		assertEquals(0.2, table.getValue("Confidence", 3), 1e-6);
		assertEquals("confidence 0.80, 0.15 (below 0.3: check it)", result.confidenceSummary(0.3));

		final DetectedObject regressed = new DetectedObject(sure.points(), new float[] { Float.NaN, Float.NaN });
		assertNull(new DetectionResult(description, List.of(regressed), false, List.of()).confidenceSummary(0.3),
			"models without a confidence say nothing about it");
	}
}
