package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.DatasetFiles;
import io.github.keypointj.io.LandmarkImporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export>Kaggle Predictions as scripts, tests and the command call it. */
class KaggleExportTest {

	@TempDir
	Path folder;

	/**
	 * A test XML with boxes only (one image missing); a model that always puts its single point in the
	 * centre of its crop: in the original image that is the centre of each box, and the Ids count the
	 * XML's entries, the missing one included.
	 */
	@Test
	void predictionsInOriginalCoordinatesNumberedByTheXmlsEntries() throws Exception {
		final Path csv = folder.resolve("submission.csv");
		final KaggleExport.Result result = KaggleExport.run(testStack(), request(centreModel(), csv), Progress.NONE);
		assertEquals(new KaggleExport.Result(2, false), result);
		// box centres in ImageJ pixel coordinates: left + width / 2 - 0.5
		assertEquals(List.of("Id,Predicted", "0,79.5000", "1,59.5000", "4,104.5000", "5,84.5000"), Files.readAllLines(csv));
	}

	/** A stack whose planes cannot be mapped back is refused before the model is even looked for. */
	@Test
	void aStackThatWasNotImportedIsRefusedFirst() {
		final KeypointException e = assertThrows(KeypointException.class, () -> KaggleExport.run(
			TestImages.stack("8-bit", 10, 10, 1), request(folder.resolve("missing.zip"), folder.resolve("x.csv")),
			Progress.NONE));
		assertTrue(e.getMessage().contains("was not imported with Import>Landmark Files"), e.getMessage());
	}

	/** Half a submission would be scored as a whole one: a cancelled export writes nothing. */
	@Test
	void aCancelledExportWritesNothing() throws Exception {
		final Path csv = folder.resolve("submission.csv");
		final Progress canceled = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {}

			@Override
			public boolean isCanceled() {
				return true;
			}
		};
		assertTrue(KaggleExport.run(testStack(), request(centreModel(), csv), canceled).canceled());
		assertFalse(Files.exists(csv));
	}

	private ImagePlus testStack() throws Exception {
		DatasetFiles.ptsFace(folder, "a", 200, 150, true, 3, 1);
		DatasetFiles.ptsFace(folder, "b", 300, 200, true, 3, 2);
		Files.writeString(folder.resolve("test.xml"), "<dataset><images>" +
			"<image file='a.png'><box top='20' left='30' width='100' height='80'/></image>" +
			"<image file='gone.png'><box top='0' left='0' width='10' height='10'/></image>" +
			"<image file='b.png'><box top='40' left='60' width='90' height='90'/></image>" +
			"</images></dataset>");
		return LandmarkImporter.readDlibXml(folder.resolve("test.xml"), new LandmarkImporter.Settings(2.0, 96, true),
			Progress.NONE).image();
	}

	private Path centreModel() {
		return TestModels.constant(folder.resolve("centre.zip"), TestModels.small(1, 3, CropRecipe.squareAroundBox(2.0)),
			0.5f, 0.5f);
	}

	private static KaggleExport.Request request(final Path model, final Path csv) {
		return new KaggleExport.Request(model, csv, false, DeviceChoice.CPU);
	}
}
