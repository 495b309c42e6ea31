package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.TestImages;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeypointCsvTest {

	private static final List<String> NAMES = List.of("a", "b");

	@TempDir
	Path folder;

	/** Import>Keypoints from CSV: a plane annotated already is refused, or replaced; the others keep their points. */
	@Test
	void importingReplacesOnlyThePlanesTheFileHasPointsFor() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 60, 40, 3);
		AnnotatedStack.annotate(image, List.of(object(image, 1, 10), object(image, 2, 20)), NAMES, null);
		final Path csv = Files.writeString(folder.resolve("points.csv"), KeypointCsv.HEADER + "\n" +
			"2,,0,a,5,6\n2,,1,b,7,8\n3,,0,a,9,10\n3,,1,b,11,12\n");

		final KeypointException clash = assertThrows(KeypointException.class, () -> KeypointCsv.importInto(image, csv, false));
		assertEquals("'test stack' already has annotations on plane(s) [2]; set replace_existing=true to replace them.",
			clash.getMessage());
		assertEquals(List.of(10.0, 20.0), firstXs(image), "nothing changed");

		assertEquals(2, KeypointCsv.importInto(image, csv, true).objects().size());
		assertEquals(List.of(10.0, 5.0, 9.0), firstXs(image), "plane 1 kept, plane 2 replaced, plane 3 added");

		final Path none = folder.resolve("none.csv");
		assertEquals("csv_file: '" + none + "' is not a file.", assertThrows(KeypointException.class,
			() -> KeypointCsv.importInto(image, none, false)).getMessage());
	}

	/** Issue 26, case 9: a CSV saved by Excel or Notepad starts with a UTF-8 byte order mark. */
	@Test
	void aByteOrderMarkIsNotPartOfTheHeader() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 60, 40, 2);
		final Path csv = Files.writeString(folder.resolve("excel.csv"), "\uFEFF" + KeypointCsv.HEADER + "\n" +
			"1,,0,a,5,6\n1,,1,b,7,8\n", java.nio.charset.StandardCharsets.UTF_8);
		assertEquals(1, KeypointCsv.importInto(image, csv, false).objects().size());
		assertEquals(List.of(5.0), firstXs(image));
	}

	private static PlaneKeypoints object(final ImagePlus image, final int plane, final double x) {
		return new PlaneKeypoints(PlanePosition.of(image, plane), CropBox.wholeImage(60, 40), new double[] { x, x + 1 },
			new double[] { 5, 6 });
	}

	/** The first point's x on each annotated plane, in plane order. */
	private static List<Double> firstXs(final ImagePlus image) {
		return AnnotatedStack.read(image, null).objects().stream().map(o -> (double) Math.round(o.x()[0] * 1000) / 1000)
			.toList();
	}

	/** Issue 27, case 4: a point missing on a plane is written with empty cells, its originals too. */
	@Test
	void aMissingPointIsWrittenAsEmptyCells() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 60, 40, 1);
		CropOrigin.store(image, List.of(new CropOrigin("a.png", new CropBox(100, 200, 120, 80), 60, 0)));
		final PlaneKeypoints object = new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(60, 40),
			new double[] { Double.NaN, 7 }, new double[] { Double.NaN, 8 });
		final Path csv = folder.resolve("missing.csv");
		KeypointCsv.write(image, List.of(object), NAMES, true, csv);
		assertEquals(List.of(KeypointCsv.HEADER + KeypointCsv.ORIGINAL_COLUMNS, "1,plane 1,0,a,,,a.png,,",
			"1,plane 1,1,b,7.0000,8.0000,a.png,114.5000,210.8333"), Files.readAllLines(csv));
	}
}
