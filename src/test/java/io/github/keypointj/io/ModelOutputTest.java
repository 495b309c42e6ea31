package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule for a training's model file, which Train Keypoint Model, TrainingRun and the scripting service share. */
class ModelOutputTest {

	@TempDir
	Path folder;

	@Test
	void theCheckpointLiesNextToTheModel() {
		assertEquals(folder.resolve("face.checkpoint.zip"), ModelOutput.checkpointOf(folder.resolve("face.zip")));
		assertEquals(folder.resolve("face.checkpoint.zip"), ModelOutput.checkpointOf(folder.resolve("face.ZIP")));
		assertEquals(folder.resolve("face.checkpoint.zip"), ModelOutput.checkpointOf(folder.resolve("face")));
	}

	/** Another model is replaced only with overwrite=true; the run a file holds may carry on into it (issue 14, case 1). */
	@Test
	void anExistingModelIsReplacedOnlyWhenAskedOrByItsOwnRunResumed() throws IOException {
		final Path model = Files.writeString(folder.resolve("face.zip"), "a model");
		ModelOutput.requireReplaceable(folder.resolve("new.zip"), false, null);
		ModelOutput.requireReplaceable(model, true, null);
		ModelOutput.requireReplaceable(model, true, ModelOutput.checkpointOf(folder.resolve("other.zip")));
		ModelOutput.requireReplaceable(model, false, ModelOutput.checkpointOf(model));
		ModelOutput.requireReplaceable(model, false, model);

		assertEquals(model + " exists; choose another model file or set overwrite=true.", refusal(model, null));
		assertEquals(model + " exists; choose another model file or set overwrite=true (it is not the model of the run " +
			"resumed from other.checkpoint.zip).", refusal(model, ModelOutput.checkpointOf(folder.resolve("other.zip"))));
		assertEquals("output: no model file given.", refusal(null, null));
	}

	/** Training into a folder that is not there fails before the first epoch, naming the key. */
	@Test
	void anOutputThatCannotBeWrittenIsRefusedBeforeTraining() {
		final Path missing = folder.resolve("no such folder").resolve("model.zip");
		assertEquals("output: the folder " + missing.getParent().toAbsolutePath() + " does not exist.", assertThrows(
			KeypointException.class, () -> ModelOutput.requireReplaceable(missing, false, null)).getMessage());
		assertEquals("output: " + folder + " is a folder, not a file.", assertThrows(KeypointException.class,
			() -> ModelOutput.requireReplaceable(folder, true, null)).getMessage());
	}

	@Test
	void aRunContinuesIntoItsModelHoweverThePathsAreWritten() {
		final Path model = folder.resolve("face.zip");
		assertTrue(ModelOutput.continuesInto(ModelOutput.checkpointOf(model), model));
		assertTrue(ModelOutput.continuesInto(model, model));
		assertTrue(ModelOutput.continuesInto(folder.resolve("sub/../face.checkpoint.zip"), model));
		assertFalse(ModelOutput.continuesInto(ModelOutput.checkpointOf(model), folder.resolve("other.zip")));
		assertFalse(ModelOutput.continuesInto(null, model));
	}

	private static String refusal(final Path output, final Path resumeFrom) {
		return assertThrows(KeypointException.class, () -> ModelOutput.requireReplaceable(output, false, resumeFrom))
			.getMessage();
	}
}
