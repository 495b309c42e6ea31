package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.io.DatasetFiles;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.launcher.ImageJ1Commands;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

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

/** Train, Evaluate, Show Learned Filters and Show Training History as Fiji runs them, and the whole loop as a macro. */
class TrainAndEvaluateCommandsTest {

	private static Context context;

	@TempDir
	static Path folder;

	@BeforeAll
	static void setUp() {
		context = new Context();
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule run(final Class<? extends Command> command, final Object... inputs) throws Exception {
		return Commands.run(context, command, inputs);
	}

	private static Object[] training(final ImagePlus image, final File output, final boolean overwrite) {
		return new Object[] { "imp", image, "architecture", "NoseNet", "input_width", 48, "input_height", 36, "epochs", 2,
			"batch_size", 8, "learning_rate", 1e-3, "augment", true, "keypoints", "all", "validation", "slices 41-50",
			"seed", 1L, "device", "cpu", "output", output, "overwrite", overwrite, "resume_from", null, "mirror_pairs",
			"0-1" };
	}

	@Test
	void mirrorPairsThatAreNoPairsAreNamed() throws Exception {
		final ImagePlus spots = SyntheticSpots.generate(4, 48, 36, 2).image();
		final Object[] keys = training(spots, folder.resolve("never.zip").toFile(), false);
		keys[keys.length - 1] = "0-2";
		assertEquals("mirror_pairs: '0-2' names keypoint 2, but there are 2 (0 to 1).", run(TrainKeypointModel.class,
			keys).getCancelReason());
		assertFalse(Files.exists(folder.resolve("never.zip")));
	}

	/** The dialog says what 0 stands for; the numbers must be the architectures' own. */
	@Test
	void theDialogsDefaultsAreTheArchitectures() {
		final List<String> sizes = new java.util.ArrayList<>(), epochs = new java.util.ArrayList<>(),
			batches = new java.util.ArrayList<>();
		for (final io.github.keypointj.nets.Architecture architecture : io.github.keypointj.nets.Architecture.values()) {
			sizes.add(architecture.label() + " " + architecture.defaultWidth() + "x" + architecture.defaultHeight());
			epochs.add(architecture.label() + " " + architecture.defaultEpochs());
			batches.add(architecture.label() + " " + architecture.defaultBatch());
		}
		assertEquals(String.join(", ", sizes), TrainKeypointModel.DEFAULT_SIZES);
		assertEquals(String.join(", ", epochs), TrainKeypointModel.DEFAULT_EPOCHS);
		assertEquals(String.join(", ", batches), TrainKeypointModel.DEFAULT_BATCHES);
	}

	@Test
	void trainThenLookAtTheModel() throws Exception {
		final ImagePlus spots = SyntheticSpots.generate(50, 48, 36, 2).image();
		final File output = folder.resolve("spots.zip").toFile();
		final CommandModule trained = run(TrainKeypointModel.class, training(spots, output, false));
		assertFalse(trained.isCanceled(), trained.getCancelReason());
		final ModelDescription description = ModelFile.readDescription(output.toPath());
		assertEquals(2, description.history().size(), "the whole history, whichever epoch's weights are best");
		assertEquals(description.trainingSettings().get("best_epoch"), String.valueOf(
			description.history().stream().min(java.util.Comparator.comparingDouble(r -> r.validationErrorPx())).get().epoch()));
		assertEquals(List.of("disc", "square"), description.keypointNames());
		// the spots declare no mirror order; the user's pairs are the model's (disc and square swap in a mirror)
		assertArrayEquals(new int[] { 1, 0 }, description.mirror().order());
		assertEquals("0-1", description.trainingSettings().get("mirror_pairs"));
		assertEquals("slices 41-50", description.trainingSettings().get("validation"));
		assertTrue(Files.exists(ModelOutput.checkpointOf(output.toPath())));

		// The user's model is not overwritten unless asked.
		final byte[] before = Files.readAllBytes(output.toPath());
		final CommandModule again = run(TrainKeypointModel.class, training(spots, output, false));
		assertTrue(again.getCancelReason().contains("exists; choose another model file or set overwrite=true"));
		assertArrayEquals(before, Files.readAllBytes(output.toPath()));

		final ImagePlus history = (ImagePlus) run(ShowTrainingHistory.class, "model", output).getOutput("plot");
		assertTrue(history.getWidth() > 100, "a rendered plot");
		final ImagePlus filters = (ImagePlus) run(ShowLearnedFilters.class, "model", output, "zoom", 2).getOutput("filters");
		assertEquals(4 * 12, filters.getWidth(), "12 kernels of 5x5 at zoom 2: 4 columns of 12-pixel cells");

		final File table = folder.resolve("evaluation.csv").toFile();
		final CommandModule evaluated = run(EvaluateKeypointModel.class, "imp", spots, "model", output, "planes", "all", "examples", 3,
			"csv_file", table, "summary_file", null, "device", "cpu");
		assertFalse(evaluated.isCanceled(), evaluated.getCancelReason());
		assertEquals(1 + 50, Files.readAllLines(table.toPath()).size());
		assertEquals(6, ((ImagePlus) evaluated.getOutput("best_and_worst")).getStackSize());

		final CommandModule wrongModel = run(EvaluateKeypointModel.class, "imp", SyntheticSpots.generate(3, 48, 36, 2).image(),
			"model", folder.resolve("missing.zip").toFile(), "planes", "all", "examples", 0, "csv_file", null, "summary_file", null, "device", "cpu");
		assertTrue(wrongModel.getCancelReason().startsWith("Model file not found"), wrongModel.getCancelReason());
	}

	/** The whole loop as a user scripts it: import, train, evaluate, detect, headless through the launcher's bridge. */
	@Test
	void theWholeLoopAsAMacro() throws Exception {
		final Path faces = Files.createDirectories(folder.resolve("faces"));
		for (int i = 0; i < 12; i++) DatasetFiles.ptsFace(faces, "face" + i, 160, 140, false, 5, i);
		final Path out = Files.createDirectories(folder.resolve("out"));
		final Context macroContext = new Context();
		try {
			ImageJ1Commands.install(macroContext);
			Interpreter.batchMode = true;
			final String result = IJ.runMacro(String.join("\n",
				"run('Landmark Files...', 'source=[" + faces + "] margin=1.6 size=96 type=[8-bit gray]');",
				"title = getTitle();",
				"run('Train Keypoint Model', 'architecture=NoseNet input_width=48 input_height=48 epochs=2 batch_size=2 " +
					"learning_rate=0.001 augment=true keypoints=all validation=0.25 seed=1 device=cpu output=[" + out +
					"/faces.zip] overwrite=false');",
				"run('Evaluate Keypoint Model', 'model=[" + out + "/faces.zip] examples=1 csv_file=[" + out +
					"/evaluation.csv] device=cpu');",
				"examples = nSlices;",
				"close();",
				"selectImage(title);",
				"run('Detect Keypoints', 'model=[" + out + "/faces.zip] all_slices=true region=[boxes in overlay] " +
					"show_table=false csv_file=[" + out + "/detected.csv] device=cpu');",
				"return '' + examples + ' ' + nSlices;"));
			assertEquals("2 12", result);
			assertEquals(2, ModelFile.readDescription(out.resolve("faces.zip")).history().size());
			assertEquals(1 + 12, Files.readAllLines(out.resolve("evaluation.csv")).size());
			assertEquals(1 + 12 * 5, Files.readAllLines(out.resolve("detected.csv")).size());
		}
		finally {
			Interpreter.batchMode = false;
			macroContext.dispose();
		}
	}
}
