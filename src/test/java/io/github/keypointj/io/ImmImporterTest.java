package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImmImporterTest {

	@TempDir
	Path folder;

	@Test
	void importsFacesOfAnySizeAndTypeWithPointsOnTheirFeatures() throws IOException {
		DatasetFiles.immFace(folder, "01-1m", 640, 480, false, 58, 1);
		DatasetFiles.immFace(folder, "01-2m", 320, 240, true, 58, 2); // smaller and RGB: resized, converted
		DatasetFiles.immFace(folder, "02-1f", 640, 480, true, 58, 3);
		final ImportResult result = ImmImporter.read(folder, false, Progress.NONE);
		final ImagePlus stack = result.image();
		assertEquals(3, stack.getStackSize());
		assertEquals(640, stack.getWidth());
		assertEquals(8, stack.getBitDepth());
		assertEquals("01-2m.png", stack.getStack().getSliceLabel(2));
		assertTrue(result.skipped().isEmpty(), result.skipped().toString());
		final AnnotatedStack annotations = AnnotatedStack.read(stack, null);
		assertEquals(58, annotations.keypointCount());
		assertEquals(io.github.keypointj.data.MirrorOrder.IMM_58, annotations.mirror(), "IMM's scheme, declared");
		for (final PlaneKeypoints plane : annotations.objects()) {
			final ImageProcessor pixels = stack.getStack().getProcessor(plane.plane().stackIndex());
			for (int k = 0; k < 58; k++) {
				assertTrue(pixels.getInterpolatedValue(plane.x()[k], plane.y()[k]) > 150,
					"plane " + plane.plane().stackIndex() + " point " + k + " on its dot");
			}
		}
		assertEquals(24, ImmImporter.read(folder, true, Progress.NONE).image().getBitDepth());
	}

	@Test
	void badFilesAreSkippedWithAReason() throws IOException {
		DatasetFiles.immFace(folder, "01-1m", 160, 120, false, 58, 1);
		DatasetFiles.immFace(folder, "03-1m", 160, 120, false, 57, 2); // wrong number of points
		DatasetFiles.immFace(folder, "04-1m", 160, 120, false, 58, 3);
		Files.delete(folder.resolve("04-1m.asf")); // missing annotation
		DatasetFiles.immFace(folder, "05-1m", 160, 120, false, 58, 4);
		final List<String> lines = Files.readAllLines(folder.resolve("05-1m.asf"));
		Files.write(folder.resolve("05-1m.asf"), lines.subList(0, 30)); // truncated
		Files.writeString(folder.resolve("06-1m.jpg"), "not really a jpeg");
		Files.copy(folder.resolve("01-1m.asf"), folder.resolve("06-1m.asf"));
		Files.writeString(folder.resolve("notes.txt"), "ignored");
		DatasetFiles.immFace(folder, "07-1m", 160, 120, false, 58, 5); // issue 14, case 6: a coordinate that is no number
		final List<String> nan = Files.readAllLines(folder.resolve("07-1m.asf"));
		nan.set(9, nan.get(9).replaceFirst("\\t0\\.\\d+", "\tNaN"));
		Files.write(folder.resolve("07-1m.asf"), nan);

		final ImportResult result = ImmImporter.read(folder, false, Progress.NONE);
		assertEquals(1, result.image().getStackSize());
		final String skipped = String.join("\n", result.skipped());
		assertTrue(skipped.contains("03-1m.asf: 57 points, expected 58"), skipped);
		assertTrue(skipped.contains("04-1m.png: no 04-1m.asf"), skipped);
		assertTrue(skipped.contains("05-1m.asf: declares 58 points but holds"), skipped);
		assertTrue(skipped.contains("06-1m.jpg: not an image ImageJ can read"), skipped);
		assertTrue(skipped.contains("07-1m.asf: keypoint 3 is not a number"), skipped);
		assertEquals(5, result.skipped().size(), skipped);
	}

	@Test
	void aFolderWithoutFacesIsAClearError() throws IOException {
		Files.writeString(folder.resolve("notes.txt"), "nothing here");
		final KeypointException e = assertThrows(KeypointException.class, () -> ImmImporter.read(folder, false, Progress.NONE));
		assertTrue(e.getMessage().startsWith("No IMM faces in " + folder), e.getMessage());
	}
}
