package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.model.CropRecipe;

import java.nio.file.Path;

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
}
