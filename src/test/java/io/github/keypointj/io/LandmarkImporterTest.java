package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.PlaneKeypoints;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandmarkImporterTest {

	private static final LandmarkImporter.Settings SETTINGS = new LandmarkImporter.Settings(1.6, 96, false);

	@TempDir
	Path folder;

	@Test
	void ptsFacesAreCutOutWithTheirPointsOnTheirFeatures() throws IOException {
		final double[][] first = DatasetFiles.ptsFace(folder, "image_0001", 300, 200, true, 12, 1);
		DatasetFiles.ptsFace(folder, "image_0002", 180, 260, false, 12, 2);
		final ImportResult result = LandmarkImporter.readPtsFolder(folder, SETTINGS, Progress.NONE);
		final ImagePlus stack = result.image();
		assertEquals(2, stack.getStackSize());
		assertEquals(96, stack.getWidth());
		assertEquals(96, stack.getHeight());
		assertTrue(result.skipped().isEmpty(), result.skipped().toString());
		final AnnotatedStack annotations = AnnotatedStack.read(stack, null);
		assertNull(annotations.mirror(), "12 points are no scheme KeypointJ knows: never mirrored");
		for (final PlaneKeypoints plane : annotations.objects()) {
			final ImageProcessor pixels = stack.getStack().getProcessor(plane.plane().stackIndex());
			for (int k = 0; k < 12; k++) {
				assertTrue(pixels.getInterpolatedValue(plane.x()[k], plane.y()[k]) > 120, "point " + k + " on its dot");
			}
		}
		// Each plane maps back to its original image: the points return to where the .pts file put them.
		final CropOrigin origin = CropOrigin.read(stack).get(0);
		assertEquals("image_0001.png", origin.file());
		final PlaneKeypoints plane = annotations.objects().get(0);
		for (int k = 0; k < 12; k++) {
			final Point2D original = origin.toOriginal(plane.x()[k], plane.y()[k]);
			assertEquals(first[0][k], original.getX(), 1e-3);
			assertEquals(first[1][k], original.getY(), 1e-3);
		}
		// The box is the points' bounding box, inside the crop, as a rectangle on the plane.
		final Roi box = stack.getOverlay().get(0);
		assertEquals(Roi.RECTANGLE, box.getType());
		assertEquals(1, box.getPosition());
		assertEquals(96 / 1.6, Math.max(box.getFloatWidth(), box.getFloatHeight()), 1e-3);
	}

	@Test
	void severalFoldersGoIntoOneStackInTheOrderGiven() throws IOException {
		final Path first = Files.createDirectories(folder.resolve("first"));
		final Path second = Files.createDirectories(folder.resolve("second"));
		DatasetFiles.ptsFace(first, "a", 300, 200, true, 12, 1);
		DatasetFiles.ptsFace(second, "b", 180, 260, false, 12, 2);
		DatasetFiles.ptsFace(second, "c", 200, 200, false, 12, 3);
		final ImagePlus stack = LandmarkImporter.readPtsFolders(List.of(second, first), SETTINGS, Progress.NONE).image();
		assertEquals(List.of("b.png", "c.png", "a.png"), CropOrigin.read(stack).stream().map(CropOrigin::file).toList());
		assertEquals(3, AnnotatedStack.read(stack, null).objects().size());
	}

	@Test
	void aDlibXmlWithBoxesAndOneEntryWithoutPoints() throws IOException {
		final double[][] face = DatasetFiles.ptsFace(folder, "a", 200, 150, false, 5, 3);
		DatasetFiles.ptsFace(folder, "b", 200, 150, false, 5, 4);
		final StringBuilder parts = new StringBuilder();
		for (int k = 0; k < 5; k++) {
			parts.append("<part name='").append(k).append("' x='").append(face[0][k]).append("' y='").append(face[1][k]).append("'/>");
		}
		Files.writeString(folder.resolve("faces.xml"), "<?xml version='1.0'?><dataset><images>" +
			"<image file='a.png'><box top='20' left='30' width='100' height='90'>" + parts + "</box></image>" +
			"<image file='b.png'><box top='10' left='10' width='50' height='50'/></image>" +
			"<image file='missing.png'><box top='10' left='10' width='50' height='50'/></image>" +
			"</images></dataset>");
		final ImportResult result = LandmarkImporter.readDlibXml(folder.resolve("faces.xml"), SETTINGS, Progress.NONE);
		assertEquals(2, result.image().getStackSize());
		assertEquals(List.of("missing.png: missing"), result.skipped());
		final AnnotatedStack annotations = AnnotatedStack.read(result.image(), null);
		assertEquals(1, annotations.objects().size(), "b has a box only");
		assertEquals(1, annotations.unannotatedPlanes());
		// The XML's box, not the points' box: its longer side (100) times the margin is the crop.
		assertEquals(160, CropOrigin.read(result.image()).get(0).crop().width(), 1e-9);
		final long boxes = java.util.Arrays.stream(result.image().getOverlay().toArray()).filter(r -> r.getType() == Roi.RECTANGLE).count();
		assertEquals(2, boxes);
	}

	@Test
	void badLandmarkFilesAreSkippedWithAReason() throws IOException {
		DatasetFiles.ptsFace(folder, "good", 100, 100, false, 6, 1);
		DatasetFiles.ptsFace(folder, "good2", 100, 100, false, 6, 5);
		DatasetFiles.ptsFace(folder, "short", 100, 100, false, 6, 2);
		final List<String> lines = Files.readAllLines(folder.resolve("short.pts"));
		Files.write(folder.resolve("short.pts"), lines.subList(0, 5));
		DatasetFiles.ptsFace(folder, "other", 100, 100, false, 4, 3);
		DatasetFiles.ptsFace(folder, "lonely", 100, 100, false, 6, 4);
		Files.delete(folder.resolve("lonely.pts"));
		Files.writeString(folder.resolve("garbled.pts"), "version: 1\nn_points: 1\n{\nleft eye\n}\n");
		Files.copy(folder.resolve("good.png"), folder.resolve("garbled.png"));
		// issue 14, case 6: coordinates that are no numbers, or absurd ones, are not annotations
		for (final String[] bad : new String[][] { { "nan", "NaN" }, { "huge", "1e300" } }) {
			DatasetFiles.ptsFace(folder, bad[0], 100, 100, false, 6, 6);
			final List<String> pts = Files.readAllLines(folder.resolve(bad[0] + ".pts"));
			pts.set(4, bad[1] + " 20");
			Files.write(folder.resolve(bad[0] + ".pts"), pts);
		}
		// issue 14, case 8: a count in words, a damaged image, all points in one place
		DatasetFiles.ptsFace(folder, "words", 100, 100, false, 6, 7);
		final List<String> words = Files.readAllLines(folder.resolve("words.pts"));
		words.set(1, "n_points: sixty-eight");
		Files.write(folder.resolve("words.pts"), words);
		DatasetFiles.ptsFace(folder, "damaged", 100, 100, false, 6, 8);
		Files.delete(folder.resolve("damaged.png"));
		Files.write(folder.resolve("damaged.jpg"), new byte[] { (byte) 0xff, (byte) 0xd8, 1, 2, 3 });
		Files.writeString(folder.resolve("dot.pts"), "version: 1\nn_points: 6\n{\n" + "20 20\n".repeat(6) + "}\n");
		Files.copy(folder.resolve("good.png"), folder.resolve("dot.png"));

		final ImportResult result = LandmarkImporter.readPtsFolder(folder, SETTINGS, Progress.NONE);
		assertEquals(2, result.image().getStackSize());
		final String skipped = String.join("\n", result.skipped());
		assertTrue(skipped.contains("short.pts: declares 6 points but holds 2 and no closing '}' (truncated?)"), skipped);
		assertTrue(skipped.contains("other.png: 4 points, the others have 6"), skipped);
		assertTrue(skipped.contains("lonely.png: no lonely.pts"), skipped);
		assertTrue(skipped.contains("garbled.pts: 'left eye' is not a point (x y)"), skipped);
		assertTrue(skipped.contains("nan.png: keypoint 2 is not a number"), skipped);
		assertTrue(skipped.contains("huge.png: keypoint 2 at (1.000e+300, 19.00) lies far outside the 100x100 image"),
			skipped);
		assertTrue(skipped.contains("words.pts: n_points 'sixty-eight' is not a whole number"), skipped);
		assertTrue(skipped.contains("damaged.jpg: not an image ImageJ can read"), skipped);
		assertTrue(skipped.contains("dot.png: its box is empty (all points in one place), nothing to cut out"), skipped);
	}

	/** An XML entry without a file, or with an empty box, is skipped by name; the rest is imported (issue 14, case 8). */
	@Test
	void xmlEntriesWithoutAFileOrWithAnEmptyBoxAreSkipped() throws IOException {
		DatasetFiles.ptsFace(folder, "a", 200, 150, false, 5, 3);
		Files.writeString(folder.resolve("faces.xml"), "<?xml version='1.0'?><dataset><images>" +
			"<image><box top='10' left='10' width='50' height='50'/></image>" +
			"<image file='a.png'><box top='20' left='30' width='0' height='0'/></image>" +
			"<image file='a.png'><box top='20' left='30' width='100' height='90'/></image>" +
			"<image file='a.png'><box top='NaN' left='30' width='100' height='90'/></image>" +
			"<image file='a.png'><box top='20' left='30' width='100' height='90'><part name='0' x='NaN' y='4'/></box></image>" +
			"</images></dataset>");
		final ImportResult result = LandmarkImporter.readDlibXml(folder.resolve("faces.xml"), SETTINGS, Progress.NONE);
		assertEquals(1, result.image().getStackSize());
		// issue 26, case 9: NaN is no coordinate either (it gave NaN points)
		assertEquals(List.of("faces.xml: <image> number 1 names no file (file='...')",
			"faces.xml, a.png: a box or part has a coordinate that is not a number",
			"faces.xml, a.png: a box or part has a coordinate that is not a number",
			"a.png: its box is empty (width and height 0), nothing to cut out"), result.skipped());
	}

	@Test
	void settingsAreChecked() {
		assertThrows(KeypointException.class, () -> new LandmarkImporter.Settings(0, 256, true));
		assertThrows(KeypointException.class, () -> new LandmarkImporter.Settings(2, 4, true));
		// issue 26, case 9: margin=1e6 put every point of a face on one pixel
		assertEquals("margin=1000000.0: the objects would be 0.00022 pixels wide in planes of 224; the margin is the " +
			"crop's side in boxes (1.5 to 3 is usual, 2 the 300-W recipe's), at most 28.0 for size=224.", assertThrows(
				KeypointException.class, () -> new LandmarkImporter.Settings(1e6, 224, true)).getMessage());
	}

	/** Issue 26, case 9: a folder without images was "Nothing to import: no entries", naming no folder. */
	@Test
	void aFolderWithoutImagesIsNamed() throws IOException {
		final Path empty = Files.createDirectory(folder.resolve("empty"));
		assertEquals("Nothing to import: " + empty + " holds no images (with .pts files of the same name).",
			assertThrows(KeypointException.class, () -> LandmarkImporter.readPtsFolder(empty, SETTINGS, Progress.NONE))
				.getMessage());
	}
}
