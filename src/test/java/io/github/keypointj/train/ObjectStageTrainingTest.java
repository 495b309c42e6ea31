package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.ObjectStageDescription;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Train Keypoint Model gives models that crop around boxes an object stage, trained after the keypoint
 * network from the same stack, with its threshold chosen on the validation planes; the file holds both.
 */
// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class ObjectStageTrainingTest {

	@TempDir
	Path folder;

	private static AnnotatedStack spots() {
		return AnnotatedStack.read(SyntheticSpots.generate(40, 64, 64, 1).image(), null);
	}

	private TrainingRequest request(final Architecture architecture, final boolean objectStage, final Path output) {
		final int side = architecture == Architecture.NOSE_NET ? 40 : 32; // the smallest each takes
		return new TrainingRequest(architecture, side, side, 1, 8, 1e-3f, false, "all", "0.2", 3, DeviceChoice.CPU, output,
			false, null, "", objectStage, 2);
	}

	@Test
	void aBoxModelGetsAStageTrainedAfterItsKeypointsAndCalibratedOnTheValidationPlanes() {
		final Path output = folder.resolve("spots.zip");
		final AtomicInteger stageEpochs = new AtomicInteger();
		final TrainingRun.Result result = TrainingRun.run(spots(), request(Architecture.HEATMAP_NET, true, output),
			new TrainingListener() {

				@Override
				public void message(final String text) {
					if (text.startsWith("training the object stage")) stageEpochs.set(-100);
				}

				@Override
				public void epochDone(final io.github.keypointj.model.EpochRecord record, final boolean best) {
					stageEpochs.incrementAndGet();
				}
			}, Progress.NONE);
		assertFalse(result.canceled());
		final ModelDescription description = ModelFile.readDescription(output);
		final ObjectStageDescription stage = description.objectStage();
		assertNotNull(stage, "the model file has an object stage");
		assertEquals(2, stage.history().size());
		assertEquals(-98, stageEpochs.get(), "two stage epochs reported after the keypoint network's one");
		assertEquals(1, description.history().size(), "the keypoint network's history is its own");
		assertTrue(stage.evaluation().get("threshold").contains("held-out"), stage.evaluation().toString());
		assertEquals("32", stage.trainingSettings().get("planes"), "the 8 validation planes are held out of the stage's training");
		try (var model = ModelFile.load(output, ai.djl.Device.cpu())) {
			assertNotNull(model.objectStage(), "the stage loads with the model");
		}
		// a plane without a rectangle: the network learned, and is evaluated in, the box of its points
		final AnnotatedStack spots = spots();
		final PlaneKeypoints first = spots.objects().get(0);
		try (var model = ModelFile.load(output, ai.djl.Device.cpu())) {
			assertEquals(CropBox.around(first.x(), first.y()), Evaluation.of(model, spots, Progress.NONE).truth().get(0)
				.region());
		}
	}

	/**
	 * Issue 27, case 2: points that make no box (here one per plane) give a model of whole planes, without
	 * a stage, and Detect's defaults give exactly the points Evaluate measures (they disagreed 10x: Detect
	 * cut out boxes around the points the model had never seen).
	 */
	@Test
	void pointsThatMakeNoBoxGiveAModelOfWholePlanesThatDetectRunsAsEvaluateDoes() {
		final Path output = folder.resolve("disc.zip");
		final AnnotatedStack spots = spots();
		final List<String> messages = new ArrayList<>();
		TrainingRun.run(spots, new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 1, 8, 1e-3f, false, "0", "0.2", 3,
			DeviceChoice.CPU, output, false, null, "", true, 2), new TrainingListener() {

				@Override
				public void message(final String text) {
					messages.add(text);
				}
			}, Progress.NONE);
		final ModelDescription description = ModelFile.readDescription(output);
		assertFalse(description.crop().fromBox(), "whole planes");
		assertNull(description.objectStage());
		assertTrue(messages.stream().anyMatch(m -> m.contains("make no box to crop around") &&
			m.contains("gets no object stage")), messages.toString());
		assertTrue(messages.stream().anyMatch(m -> m.startsWith("HeatmapNet sees each whole 64x64 plane at 32x32")),
			messages.toString());

		final List<PlaneKeypoints> evaluated;
		try (var model = ModelFile.load(output, ai.djl.Device.cpu())) {
			evaluated = Evaluation.of(model, Evaluation.select(spots, description, "all"), Progress.NONE).predictions();
		}
		final List<PlaneKeypoints> detected = Detection.run(spots.image(), new DetectionRequest(output, true,
			Region.WHOLE_IMAGE, DeviceChoice.CPU, KeypointDetector.DEFAULT_REFINE_ROUNDS), Progress.NONE).keypoints();
		assertEquals(40, detected.size(), "one object a plane");
		for (int i = 0; i < 40; i++) {
			assertEquals(evaluated.get(i).x()[0], detected.get(i).x()[0], 1e-3, "plane " + (i + 1));
			assertEquals(evaluated.get(i).y()[0], detected.get(i).y()[0], 1e-3, "plane " + (i + 1));
		}
	}

	@Test
	void aModelOfWholePlanesGetsNoStageAndAddingOneIsRefused() {
		final Path output = folder.resolve("nose.zip");
		TrainingRun.run(spots(), request(Architecture.NOSE_NET, true, output), TrainingListener.NONE, Progress.NONE);
		assertNull(ModelFile.readDescription(output).objectStage());
		final KeypointException refused = org.junit.jupiter.api.Assertions.assertThrows(KeypointException.class,
			(Executable) () -> ObjectStageTraining.addTo(output, spots(), ObjectStageTraining.Request.of(1, 1,
				DeviceChoice.CPU), TrainingListener.NONE, Progress.NONE));
		assertTrue(refused.getMessage().contains("needs no object stage"), refused.getMessage());
	}

	@Test
	void aStageTrainsOnWhereItStoppedAndKeepsTheKeypointWeights() throws Exception {
		final Path output = folder.resolve("resnet.zip");
		TrainingRun.run(spots(), request(Architecture.RESNET18, false, output), TrainingListener.NONE, Progress.NONE);
		assertNull(ModelFile.readDescription(output).objectStage(), "object_stage=false: none");
		final byte[] keypointWeights = weights(output);
		ObjectStageTraining.addTo(output, spots(), ObjectStageTraining.Request.of(1, 1, DeviceChoice.CPU),
			TrainingListener.NONE, Progress.NONE);
		ObjectStageTraining.addTo(output, spots(), ObjectStageTraining.Request.of(2, 1, DeviceChoice.CPU),
			TrainingListener.NONE, Progress.NONE);
		final ObjectStageDescription stage = ModelFile.readDescription(output).objectStage();
		assertEquals(2, stage.history().size());
		assertTrue(stage.trainingSettings().get("resumed").contains("at epoch 2"), stage.trainingSettings().toString());
		assertTrue(java.util.Arrays.equals(keypointWeights, weights(output)), "the keypoint network's weights are as they were");
		final KeypointException done = org.junit.jupiter.api.Assertions.assertThrows(KeypointException.class,
			() -> ObjectStageTraining.addTo(output, spots(), ObjectStageTraining.Request.of(2, 1, DeviceChoice.CPU),
				TrainingListener.NONE, Progress.NONE));
		assertTrue(done.getMessage().contains("trained 2 epoch(s) already"), done.getMessage());
	}

	private static byte[] weights(final Path model) {
		return ModelFile.readEntry(model, "parameters.djl");
	}
}
