package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.keypointj.TestImages;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.io.DatasetFiles;
import io.github.keypointj.launcher.ImageJ1Commands;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;

class ImportExportCommandsTest {

	private static Context context;

	@TempDir
	static Path folder;

	@BeforeAll
	static void setUp() throws Exception {
		context = new Context();
		for (int i = 1; i <= 3; i++) DatasetFiles.immFace(folder, String.format("%02d-1m", i), 160, 120, false, 58, i);
		for (int i = 1; i <= 2; i++) DatasetFiles.ptsFace(folder, "face" + i, 200, 180, true, 68, i);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule run(final Class<? extends Command> command, final Object... inputs) throws Exception {
		return Commands.run(context, command, inputs);
	}

	@Test
	void csvExportThenImportGivesTheSamePoints() throws Exception {
		final ImagePlus faces = (ImagePlus) run(ImportImm.class, "folder", folder.toFile(), "type", "8-bit gray")
			.getOutput("stack");
		assertEquals(3, faces.getStackSize());
		final File csv = folder.resolve("imm.csv").toFile();
		final CommandModule export = run(ExportCsv.class, "imp", faces, "csv_file", csv, "points", "annotations",
			"original_coordinates", false, "overwrite", false);
		assertFalse(export.isCanceled(), export.getCancelReason());
		assertEquals(1 + 3 * 58, Files.readAllLines(csv.toPath()).size());
		assertTrue(Files.readAllLines(csv.toPath()).get(0).equals("slice,label,point,name,x,y"));

		final ImagePlus copy = faces.duplicate();
		copy.setOverlay(null);
		final CommandModule read = run(ImportCsv.class, "imp", copy, "csv_file", csv, "replace_existing", false);
		assertFalse(read.isCanceled(), read.getCancelReason());
		final List<PlaneKeypoints> original = AnnotatedStack.read(faces, null).objects();
		final List<PlaneKeypoints> imported = AnnotatedStack.read(copy, null).objects();
		assertEquals(original.size(), imported.size());
		for (int i = 0; i < original.size(); i++) {
			assertArrayEquals(original.get(i).x(), imported.get(i).x(), 1e-4);
			assertArrayEquals(original.get(i).y(), imported.get(i).y(), 1e-4);
		}

		// The same file again would double the points: refused unless asked, then replaced.
		final CommandModule again = run(ImportCsv.class, "imp", copy, "csv_file", csv, "replace_existing", false);
		assertTrue(again.getCancelReason().contains("already has annotations on plane(s) [1, 2, 3]"), again.getCancelReason());
		final CommandModule replaced = run(ImportCsv.class, "imp", copy, "csv_file", csv, "replace_existing", true);
		assertFalse(replaced.isCanceled(), replaced.getCancelReason());
		assertEquals(3, AnnotatedStack.read(copy, null).objects().size());
	}

	/** Issue 24: the DeepLabCut layout, for a project's labeled-data folder; original coordinates are KeypointJ's. */
	@Test
	void csvExportInDeepLabCutsLayout() throws Exception {
		final ImagePlus faces = (ImagePlus) run(ImportImm.class, "folder", folder.toFile(), "type", "RGB").getOutput("stack");
		final File csv = folder.resolve("CollectedData_lab.csv").toFile();
		final CommandModule export = run(ExportCsv.class, "imp", faces, "csv_file", csv, "points", "annotations",
			"original_coordinates", false, "layout", "DeepLabCut", "scorer", "lab", "overwrite", false);
		assertFalse(export.isCanceled(), export.getCancelReason());
		final List<String> lines = Files.readAllLines(csv.toPath());
		assertEquals(3 + 3, lines.size(), "three header rows, a row a face");
		assertTrue(lines.get(0).startsWith("scorer,,,lab,lab"), lines.get(0));
		assertEquals(3 + 2 * 58, lines.get(2).split(",", -1).length, "coords: x and y of 58 points");
		final CommandModule refused = run(ExportCsv.class, "imp", faces, "csv_file", folder.resolve("o.csv").toFile(),
			"points", "annotations", "original_coordinates", true, "layout", "DeepLabCut", "scorer", "", "overwrite", false);
		assertTrue(refused.getCancelReason().contains("DeepLabCut's layout has the frames' own coordinates only"),
			refused.getCancelReason());
	}

	@Test
	void anExistingCsvIsNotOverwrittenUnlessAsked() throws Exception {
		final ImagePlus faces = (ImagePlus) run(ImportImm.class, "folder", folder.toFile(), "type", "RGB").getOutput("stack");
		final Path csv = Files.writeString(folder.resolve("mine.csv"), "the user's own file");
		final CommandModule refused = run(ExportCsv.class, "imp", faces, "csv_file", csv.toFile(), "points", "annotations",
			"original_coordinates", false, "overwrite", false);
		assertTrue(refused.getCancelReason().contains("exists"), refused.getCancelReason());
		assertEquals("the user's own file", Files.readString(csv));
		final CommandModule noOrigin = run(ExportCsv.class, "imp", faces, "csv_file", folder.resolve("o.csv").toFile(),
			"points", "annotations", "original_coordinates", true, "overwrite", false);
		assertTrue(noOrigin.getCancelReason().contains("has no original coordinates"), noOrigin.getCancelReason());
	}

	/** A CSV row whose point is no number, or absurdly far away, stops the import and names its line (issue 14, case 6). */
	@Test
	void csvPointsThatAreNoPointsAreRefusedByLine() throws Exception {
		for (final String value : new String[] { "NaN", "Infinity", "1e300" }) {
			final ImagePlus image = TestImages.stack("8-bit", 60, 40, 2);
			final File csv = Files.writeString(folder.resolve("bad " + value + ".csv"),
				"slice,label,point,name,x,y\n1,,0,p0,10,12\n1,,1,p1," + value + ",20\n").toFile();
			final CommandModule read = run(ImportCsv.class, "imp", image, "csv_file", csv, "replace_existing", false);
			assertTrue(read.isCanceled());
			// NaN alone is half a missing point (issue 27: a point not visible has both cells empty or NaN)
			assertTrue(read.getCancelReason().startsWith(csv.getName() + ", line 3: " + (value.equals("NaN")
				? "point 1 has only one coordinate" : "(" + Double.parseDouble(value) + ", 20.0) is no point of the 60x40 image")),
				read.getCancelReason());
			assertEquals(null, image.getOverlay(), "nothing imported");
		}
	}

	@Test
	void landmarkCropsExportTheirOriginalCoordinates() throws Exception {
		final Path pts = Files.createDirectories(folder.resolve("pts"));
		final double[][] face = DatasetFiles.ptsFace(pts, "face", 240, 200, true, 68, 9);
		final ImagePlus crops = (ImagePlus) run(ImportLandmarks.class, "source", pts.toFile(), "margin", 2.0, "size", 128,
			"type", "RGB").getOutput("stack");
		final File csv = folder.resolve("crops.csv").toFile();
		run(ExportCsv.class, "imp", crops, "csv_file", csv, "points", "annotations", "original_coordinates", true,
			"overwrite", false);
		final List<String> lines = Files.readAllLines(csv.toPath());
		assertEquals("slice,label,point,name,x,y,file,x_original,y_original", lines.get(0));
		final String[] first = lines.get(1).split(",");
		assertEquals("face.png", first[6]);
		assertEquals(face[0][0], Double.parseDouble(first[7]), 1e-3);
		assertEquals(face[1][0], Double.parseDouble(first[8]), 1e-3);
	}

	@Test
	void aSecondFolderJoinsTheStackAndAWrongOneIsNamed(@TempDir final Path own) throws Exception {
		// its own folder: the class's folder is imported whole by other tests
		final Path first = Files.createDirectories(own.resolve("first"));
		final Path second = Files.createDirectories(own.resolve("second"));
		DatasetFiles.ptsFace(first, "a", 240, 200, true, 68, 1);
		DatasetFiles.ptsFace(second, "b", 240, 200, true, 68, 2);
		final ImagePlus both = (ImagePlus) run(ImportLandmarks.class, "source", first.toFile(), "also_from", second.toString(),
			"margin", 2.0, "size", 64, "type", "RGB").getOutput("stack");
		assertEquals(2, both.getStackSize());
		// a macro that leaves it out (every other input given) imports the one folder, with no file chooser
		assertEquals(1, ((ImagePlus) run(ImportLandmarks.class, "source", first.toFile(), "margin", 2.0, "size", 64,
			"type", "RGB").getOutput("stack")).getStackSize());
		final CommandModule notAFolder = run(ImportLandmarks.class, "source", first.toFile(), "also_from",
			first.resolve("a.png").toString(), "margin", 2.0, "size", 64, "type", "RGB");
		assertTrue(notAFolder.getCancelReason().contains("also_from: '" + first.resolve("a.png") + "' is not a folder."),
			notAFolder.getCancelReason());
	}

	@Test
	void importersRunFromAMacroAndTheirStackBecomesTheActiveImage() {
		final Context macroContext = new Context();
		try {
			ImageJ1Commands.install(macroContext);
			Interpreter.batchMode = true;
			final String result = IJ.runMacro("run('Landmark Files...', 'source=[" + folder + "] margin=1.5 size=64 type=RGB');" +
				"n = nSlices; w = getWidth(); close(); return '' + n + ' ' + w;");
			assertEquals("2 64", result);
		}
		finally {
			Interpreter.batchMode = false;
			macroContext.dispose();
		}
	}
}
