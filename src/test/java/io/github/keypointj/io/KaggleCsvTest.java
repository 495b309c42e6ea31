package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaggleCsvTest {

	@TempDir
	Path folder;

	/**
	 * A test XML with boxes only (one image missing); a model that always puts its single point in the
	 * centre of its crop: in the original image that is the centre of each box, and the Ids count the
	 * XML's entries, the missing one included.
	 */
	@Test
	void predictionsInOriginalCoordinatesNumberedByTheXmlsEntries() throws Exception {
		DatasetFiles.ptsFace(folder, "a", 200, 150, true, 3, 1);
		DatasetFiles.ptsFace(folder, "b", 300, 200, true, 3, 2);
		Files.writeString(folder.resolve("test.xml"), "<dataset><images>" +
			"<image file='a.png'><box top='20' left='30' width='100' height='80'/></image>" +
			"<image file='gone.png'><box top='0' left='0' width='10' height='10'/></image>" +
			"<image file='b.png'><box top='40' left='60' width='90' height='90'/></image>" +
			"</images></dataset>");
		final ImportResult imported = LandmarkImporter.readDlibXml(folder.resolve("test.xml"),
			new LandmarkImporter.Settings(2.0, 96, true), Progress.NONE);
		final Path model = TestModels.constant(folder.resolve("centre.zip"), TestModels.small(1, 3,
			CropRecipe.squareAroundBox(2.0)), 0.5f, 0.5f);
		final Path csv = folder.resolve("submission.csv");
		try (KeypointModel loaded = ModelFile.load(model, Device.cpu())) {
			KaggleCsv.write(imported.image(), DetectedObject.points(new KeypointDetector(loaded).detect(imported.image(),
				PlanePosition.toProcess(imported.image(), true), Region.BOXES_IN_OVERLAY, Progress.NONE)), csv);
		}
		// box centres in ImageJ pixel coordinates: left + width / 2 - 0.5
		assertEquals(List.of("Id,Predicted", "0,79.5000", "1,59.5000", "4,104.5000", "5,84.5000"), Files.readAllLines(csv));
	}

	@Test
	void aStackThatWasNotImportedIsRefused() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> KaggleCsv.write(TestImages.stack("8-bit", 10, 10, 1), List.of(), folder.resolve("x.csv")));
		assertTrue(e.getMessage().contains("was not imported with Import>Landmark Files"), e.getMessage());
	}
}
