package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.filter.Analyzer;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.data.KeypointOverlay;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleRunner;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;

/**
 * A macro line that runs a KeypointJ command, as Fiji runs it: imagej-legacy hands the command the macro's
 * options in the macro's thread ("Run$_..."), where {@link Macro#getOptions()} finds them, and runs every
 * pre- and postprocessor. (The launcher's own bridge is in MacroBridgeTest.)
 */
class MacroCallTest {

	private static Context context;

	@TempDir
	static Path folder;

	private static Path model;

	@BeforeAll
	static void setUp() {
		context = new Context();
		model = TestModels.constant(folder.resolve("whole model.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			0.25f, 0.5f, 0.75f, 0.1f);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	/** Runs Detect Keypoints on {@code image} with {@code options} as a macro's run("Detect Keypoints", options). */
	private static CommandModule detectFromMacro(final ImagePlus image, final String options) throws Exception {
		final CommandInfo info = context.service(CommandService.class).getCommand(DetectKeypoints.class);
		final CommandModule module = (CommandModule) context.service(org.scijava.module.ModuleService.class)
			.createModule(info);
		if (image != null) module.setInput("imp", image); // imagej-legacy's active-image preprocessor
		if (image != null) module.resolveInput("imp");
		final PluginService plugins = context.service(PluginService.class);
		final AtomicReference<Exception> failure = new AtomicReference<>();
		final Thread macro = new Thread(() -> {
			Macro.setOptions(options);
			try {
				new ModuleRunner(context, module, plugins.createInstancesOfType(PreprocessorPlugin.class), plugins
					.createInstancesOfType(PostprocessorPlugin.class)).run();
			}
			catch (final RuntimeException e) {
				failure.set(e);
			}
			finally {
				Macro.setOptions(null);
			}
		}, "Run$_test macro");
		macro.start();
		macro.join();
		if (failure.get() != null) throw failure.get();
		return module;
	}

	@Test
	void aMisspelledKeyStopsTheCommandAndSaysSo() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final CommandModule module = detectFromMacro(image, "modle=[" + model + "] regoin=[whole image]");
		assertEquals("'modle', 'regoin' are not keys of Detect Keypoints (keys: model, all_slices, region, show_table, " +
			"csv_file, overwrite, device, refine_rounds, min_confidence, mirror_average); the command did not run.", module
				.getCancelReason());
		assertNull(image.getOverlay(), "the command did not run");
		assertEquals(module.getCancelReason(), MacroFunctions.lastError());
	}

	/** Fiji records the image by its title when it was chosen in the dialog; that key is Fiji's to fill. */
	@Test
	void theImageKeyOfARecordedMacroIsNotRefused() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final CommandModule module = detectFromMacro(image, "imp=[" + image.getTitle() + "] model=[" + model +
			"] device=cpu refine_rounds=0");
		assertFalse(module.isCanceled(), module.getCancelReason());
		assertEquals(1, KeypointOverlay.detections(image).size());
	}

	@Test
	void valuesThatAreNotOfTheirKeysTypeAreNamed() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final String base = "model=[" + model + "] ";
		assertEquals("refine_rounds=abc is not a whole number; the command did not run.", detectFromMacro(image, base +
			"refine_rounds=abc").getCancelReason());
		assertEquals("min_confidence=high is not a number; the command did not run.", detectFromMacro(image, base +
			"min_confidence=high").getCancelReason());
		assertEquals("all_slices=ture is not true or false; the command did not run.", detectFromMacro(image, base +
			"all_slices=ture").getCancelReason());
		assertEquals("region=whole imag is not one of whole image, selection, boxes in overlay; the command did not " +
			"run.", detectFromMacro(image, base + "region=[whole imag]").getCancelReason());
		assertNull(image.getOverlay());
	}

	@Test
	void keysLeftOutTakeTheDocumentedDefaultsNotRememberedValues() throws Exception {
		final CommandInfo info = context.service(CommandService.class).getCommand(DetectKeypoints.class);
		final CommandModule module = (CommandModule) context.service(org.scijava.module.ModuleService.class)
			.createModule(info);
		MacroCall.fill(module, "model=[" + model + "] device=cpu", context.service(
			org.scijava.convert.ConvertService.class));
		// resolved inputs are never filled from stored preferences by SciJava's LoadInputsPreprocessor
		for (final String key : List.of("model", "all_slices", "region", "show_table", "overwrite", "device",
			"refine_rounds", "min_confidence", "csv_file"))
		{
			assertTrue(module.isInputResolved(key), key);
		}
		assertEquals(model.toFile(), module.getInput("model"));
		assertEquals(true, module.getInput("all_slices"));
		assertEquals("whole image", module.getInput("region"));
		assertEquals(3, module.getInput("refine_rounds"));
		assertTrue(MacroCall.missing(module).isEmpty());
	}

	@Test
	void aRequiredFileLeftOutIsNamedHeadless() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final CommandModule module = detectFromMacro(image, "region=[whole image]");
		assertEquals("The macro gives no model for Detect Keypoints; the command did not run.", module
			.getCancelReason());
	}

	/** Issue 26, case 5: model=[] would let SciJava cancel the command without a word, exit code 0. */
	@Test
	void aRequiredFileGivenEmptyIsNamed() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 1);
		final int failedBefore = Failures.count();
		final CommandModule module = detectFromMacro(image, "model=[] region=[whole image]");
		assertEquals("model=[]: a file is needed, not an empty value; Detect Keypoints did not run.", module
			.getCancelReason());
		assertEquals(failedBefore + 1, Failures.count(), "a failed command: exit code 1 for batch scripts");
		assertNull(image.getOverlay());
	}

	@Test
	void withoutAnImageTheCommandSaysSoInsteadOfNothing() throws Exception {
		final int failedBefore = Failures.count();
		final CommandModule module = detectFromMacro(null, "model=[" + model + "]");
		assertEquals("There is no image open: open the image to work on first.", module.getCancelReason());
		assertEquals(failedBefore + 1, Failures.count());
	}

	@Test
	void aGoodLineRunsAndHeadlessItsTableIsTheResultsTable() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		final ResultsTable before = Analyzer.getResultsTable();
		try {
			final CommandModule module = detectFromMacro(image, "model=[" + model + "] region=[whole image] " +
				"show_table=true device=cpu refine_rounds=0");
			assertFalse(module.isCanceled(), module.getCancelReason());
			assertEquals("", MacroFunctions.lastError());
			assertEquals(2, KeypointOverlay.detections(image).size());
			// headless ImageJ has no table windows: a macro reads the keypoints from Results (2 planes x 2 points)
			assertEquals(4, Analyzer.getResultsTable().size());
			assertEquals(0.25 * 64 - 0.5, Analyzer.getResultsTable().getValue("X", 0), 1e-3); // pixel centres
		}
		finally {
			Analyzer.setResultsTable(before);
		}
	}

	@Test
	void imagesACommandReturnsBecomeImagesTheMacroSees() throws Exception {
		final ImagePlus spots = io.github.keypointj.demo.SyntheticSpots.generate(2, 160, 120, 4).image();
		ij.macro.Interpreter.batchMode = true;
		try {
			final CommandModule module = Commands.run(context, PreviewTrainingSamples.class, "imp", spots, "architecture",
				"FaceNet", "input_width", 0, "input_height", 0, "augment", false, "samples", 2, "seed", 1L);
			assertFalse(module.isCanceled(), module.getCancelReason());
			assertTrue(module.isOutputResolved("preview"), "shown by KeypointJ, not left to an ImageJ2 display");
			// headless, in batch mode: a batch-mode image (what nImages and selectImage see), the caller's current one
			final ImagePlus preview = (ImagePlus) module.getOutput("preview");
			assertTrue(java.util.Arrays.stream(ij.macro.Interpreter.getBatchModeImageIDs()).anyMatch(id -> id == preview
				.getID()), "a batch-mode image");
			assertEquals(preview, WindowManager.getCurrentImage());
		}
		finally {
			ij.macro.Interpreter.batchMode = false;
		}
	}
}
