package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.TestImages;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaggleCsvTest {

	@TempDir
	Path folder;

	@Test
	void aStackThatWasNotImportedIsRefused() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> KaggleCsv.write(TestImages.stack("8-bit", 10, 10, 1), List.of(), folder.resolve("x.csv")));
		assertTrue(e.getMessage().contains("was not imported with Import>Landmark Files"), e.getMessage());
	}

	/** Issue 27, case 4: a missing point's coordinates are empty cells, as in the Kaggle facial-keypoints data. */
	@Test
	void aMissingPointIsWrittenAsEmptyCells() throws Exception {
		final ImagePlus stack = TestImages.stack("8-bit", 10, 10, 1);
		CropOrigin.store(stack, List.of(new CropOrigin("a.png", new CropBox(0, 0, 10, 10), 10, 1)));
		final PlaneKeypoints points = new PlaneKeypoints(PlanePosition.of(stack, 1), CropBox.wholeImage(10, 10),
			new double[] { 2, Double.NaN }, new double[] { 3, Double.NaN });
		final Path file = folder.resolve("kaggle.csv");
		KaggleCsv.write(stack, List.of(points), file);
		assertEquals(List.of("Id,Predicted", "4,2.0000", "5,3.0000", "6,", "7,"), Files.readAllLines(file));
	}
}
