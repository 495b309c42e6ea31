package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

		assertEquals(2, KeypointCsv.importInto(image, csv, true).stack().objects().size());
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
		assertEquals(1, KeypointCsv.importInto(image, csv, false).stack().objects().size());
		assertEquals(List.of(5.0), firstXs(image));
	}

	/** Issue 27, case 1: a CSV of one stack imported onto another put every point on the wrong frame, silently. */
	@Test
	void labelsPlaceThePointsOrAreRefusedNamingTheRows() throws Exception {
		final ImagePlus frames = TestImages.stack("8-bit", 60, 40, 3);
		for (int i = 1; i <= 3; i++) frames.getStack().setSliceLabel("frame" + (4 - i) + ".png\nmetadata", i);
		// written for a stack in the other order: slice 1 was frame1.png, which is plane 3 here
		final Path reversed = Files.writeString(folder.resolve("reversed.csv"), KeypointCsv.HEADER + "\n" +
			"1,frame1.png,0,a,5,6\n1,frame1.png,1,b,7,8\n3,frame3.png,0,a,9,10\n3,frame3.png,1,b,11,12\n");
		final KeypointCsv.Read placed = KeypointCsv.importInto(frames, reversed, false);
		assertEquals(2, placed.placedByLabel());
		assertEquals(List.of(1, 3), placed.stack().objects().stream().map(o -> o.plane().stackIndex()).toList());
		assertEquals(List.of(9.0, 5.0), firstXs(frames), "plane 1 holds frame3.png's points");

		final ImagePlus other = TestImages.stack("8-bit", 60, 40, 3);
		final KeypointException refused = assertThrows(KeypointException.class, () -> KeypointCsv.importInto(other,
			reversed, false));
		assertEquals("reversed.csv was not written for 'test stack': the labels of 4 row(s) are not its planes' labels, " +
			"e.g. line 2: slice 1 'frame1.png' (no plane of 'test stack' has that label; slice 1 is 'plane 1'); line 3: " +
			"slice 1 'frame1.png' (no plane of 'test stack' has that label; slice 1 is 'plane 1'); line 4: slice 3 " +
			"'frame3.png' (no plane of 'test stack' has that label; slice 3 is 'plane 3'). Nothing was imported. Import it " +
			"onto the stack it was written for, or empty the label column to place the points by slice number.",
			refused.getMessage());
		assertEquals(null, other.getOverlay(), "nothing imported");

		// the round trip: the labels written are the planes' first lines, and they match
		KeypointCsv.write(frames, AnnotatedStack.read(frames, null).objects(), NAMES, false, folder.resolve("out.csv"));
		final KeypointCsv.Read again = KeypointCsv.importInto(frames, folder.resolve("out.csv"), true);
		assertEquals(0, again.placedByLabel());
		assertTrue(again.labelsChecked());
	}

	/** Issue 27, case 4: a point that is not visible is an empty cell, NaN, or no row; it keeps its slot. */
	@Test
	void pointsWithoutCoordinatesAreMissingInTheirOwnSlot() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 60, 40, 3);
		final Path csv = Files.writeString(folder.resolve("occluded.csv"), KeypointCsv.HEADER + "\n" +
			"1,,0,nose,5,6\n1,,1,ear,,\n1,,2,tail,9,10\n" + // empty cells
			"2,,0,nose,NaN,NaN\n2,,1,ear,7,8\n2,,2,tail,9,10\n" + // DeepLabCut's NaN
			"3,,0,nose,5,6\n3,,2,tail,9,10\n"); // no row for the ear
		final AnnotatedStack read = KeypointCsv.read(csv, image);
		assertEquals(List.of("nose", "ear", "tail"), read.keypointNames());
		assertEquals(3, read.objects().size());
		assertTrue(Double.isNaN(read.objects().get(0).x()[1]) && Double.isNaN(read.objects().get(0).y()[1]));
		assertTrue(Double.isNaN(read.objects().get(1).x()[0]));
		assertTrue(Double.isNaN(read.objects().get(2).x()[1]));
		assertEquals(9.0, read.objects().get(2).x()[2], "the tail stays point 2");
		assertTrue(KeypointCsv.summary(new KeypointCsv.Read(read, 0, false), "occluded.csv")
			.contains("3 point(s) not visible"));

		final Path half = Files.writeString(folder.resolve("half.csv"), KeypointCsv.HEADER + "\n1,,0,nose,5,\n");
		assertEquals("half.csv, line 2: point 0 has only one coordinate; give both, or leave both empty for a point " +
			"that is not visible.", assertThrows(KeypointException.class, () -> KeypointCsv.read(half, image)).getMessage());
		final Path twice = Files.writeString(folder.resolve("twice.csv"), KeypointCsv.HEADER + "\n1,,0,nose,5,6\n1,,0,nose,7,8\n");
		assertEquals("twice.csv, line 3: slice 1 has point 0 twice; nothing was imported.",
			assertThrows(KeypointException.class, () -> KeypointCsv.read(twice, image)).getMessage());
	}

	/** Issue 27, case 6: Image Sequence leaves out frames of another size; the message says so. */
	@Test
	void aSliceBeyondTheStackIsNamedWithTheLikelyCause() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 60, 40, 2);
		final Path csv = Files.writeString(folder.resolve("more.csv"), KeypointCsv.HEADER + "\n" +
			"1,,0,a,5,6\n3,,0,a,5,6\n4,,0,a,5,6\n");
		assertEquals("more.csv, line 3: slice 3 is not in 'test stack' (1-2); the file has points up to slice 4. " +
			"File > Import > Image Sequence leaves out images of another size than the first: check that the stack holds " +
			"every image the points were made on. Nothing was imported.",
			assertThrows(KeypointException.class, () -> KeypointCsv.importInto(image, csv, false)).getMessage());
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
