package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.Menus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.macro.Interpreter;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.CropRecipe;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** Detect Keypoints driven by real ImageJ 1.x macros, through the launcher's bridge, without a display. */
class MacroBridgeTest {

	private static Context context;

	@TempDir
	static Path folder;

	private static Path model;

	@BeforeAll
	static void setUp() throws Exception {
		context = new Context();
		assertEquals(ImageJ1Commands.keypointCommands(context).size(), ImageJ1Commands.install(context));
		// A path with a space, so the macro needs brackets as users write them.
		model = TestModels.constant(Files.createDirectories(folder.resolve("my models")).resolve("whole.zip"),
			TestModels.small(2, 1, CropRecipe.wholeRegion()), 0.25f, 0.5f, 0.75f, 0.1f);
		Interpreter.batchMode = true;
	}

	@AfterAll
	static void tearDown() {
		Interpreter.batchMode = false;
		context.dispose();
	}

	@Test
	void theCommandsAreInImageJsCommandTable() {
		assertTrue(Menus.getCommands().get("Detect Keypoints").toString().contains("DetectKeypoints"));
		assertTrue(Menus.getCommands().get("About KeypointJ").toString().contains("AboutKeypointJ"));
		assertFalse(ImageJ1Commands.legacyPresent(), "no imagej-legacy in the tests");
	}

	@Test
	void withImageJLegacyPresentNothingIsRegistered() {
		final int before = Menus.getCommands().size();
		Menus.getCommands().remove("About KeypointJ");
		assertEquals(0, ImageJ1Commands.install(context, true));
		assertEquals(before - 1, Menus.getCommands().size(), "Fiji's own bridge registers the commands");
		ImageJ1Commands.install(context, false);
		assertEquals(before, Menus.getCommands().size());
	}

	@Test
	void aMacroDetectsKeypointsOnTheActiveImage() throws Exception {
		final Path saved = folder.resolve("detected.tif");
		final String result = IJ.runMacro(String.join("\n",
			"newImage('faces', '8-bit ramp', 120, 90, 3);",
			"makeRectangle(5, 5, 30, 20);",
			"Overlay.addSelection;",
			"run('Select None');",
			"run('Detect Keypoints', 'model=[" + model + "] all_slices=true region=[whole image] show_table=false device=cpu');",
			"n = Overlay.size;",
			"saveAs('Tiff', '" + saved + "');",
			"close();",
			"return '' + n;"));
		assertEquals("4", result);
		final ImagePlus reopened = IJ.openImage(saved.toString());
		final List<PointRoi> detections = KeypointOverlay.detections(reopened);
		assertEquals(3, detections.size(), "the points and their KeypointJ mark survive a TIFF round trip");
		assertEquals(Roi.RECTANGLE, reopened.getOverlay().get(0).getType(), "the user's rectangle stays");
		for (int plane = 1; plane <= 3; plane++) {
			assertEquals(plane, detections.get(plane - 1).getPosition());
			assertEquals(0.25 * 120 - 0.5, detections.get(plane - 1).getFloatPolygon().xpoints[0], 1e-3);
		}
		assertEquals("point 1|point 2", detections.get(0).getProperty(KeypointOverlay.NAMES));
	}

	@Test
	void aMisspelledKeyIsReportedAndTheCommandDoesNotRun() throws Exception {
		final String[] result = new String[1];
		final String log = capturingStdout(() -> result[0] = IJ.runMacro(String.join("\n",
			"newImage('faces', '8-bit ramp', 64, 48, 3);",
			"setSlice(2);",
			"run('Detect Keypoints', 'model=[" + model + "] all_slice=false show_table=false device=cpu');",
			"n = Overlay.size;",
			"close();",
			"return '' + n;")));
		assertTrue(log.contains("KeypointJ error: 'all_slice' is not a key of Detect Keypoints (keys: "), log);
		assertTrue(log.contains("); the command did not run."), log);
		assertEquals("0", result[0], "nothing was detected with a value the user did not choose");
	}

	@Test
	void anErrorIsReportedInTheLogAndTheImageIsUnchanged() throws Exception {
		final String[] result = new String[1];
		final String log = capturingStdout(() -> result[0] = IJ.runMacro(String.join("\n",
			"newImage('faces', '16-bit ramp', 64, 48, 1);",
			"run('Detect Keypoints', 'model=[" + folder.resolve("none.zip") + "] device=cpu');",
			"n = Overlay.size;",
			"close();",
			"return '' + n;")));
		assertTrue(log.contains("KeypointJ error: Model file not found"), log);
		assertEquals("0", result[0]);
	}

	@Test
	void aBadChoiceIsNamed() throws Exception {
		final String log = capturingStdout(() -> IJ.runMacro(String.join("\n",
			"newImage('faces', '8-bit ramp', 64, 48, 1);",
			"run('Detect Keypoints', 'model=[" + model + "] region=everywhere');",
			"close();")));
		assertTrue(log.contains("region=everywhere is not one of whole image, selection, boxes in overlay; the command did not " +
			"run."), log);
	}

	private static String capturingStdout(final Runnable action) {
		final PrintStream original = System.out;
		final ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			action.run();
		}
		finally {
			System.setOut(original);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}
}
