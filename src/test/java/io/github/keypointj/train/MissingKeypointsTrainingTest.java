package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.ImagePlus;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, case 4: spots whose square is hidden on every third plane and whose disc on plane 2, written to
 * the overlay and read back as a user's stack would be, train to finite losses and errors for both kinds of
 * network (coordinates and heatmaps), and the model evaluates on the same stack.
 */
class MissingKeypointsTrainingTest {

	@TempDir
	Path folder;

	private static AnnotatedStack spotsWithMissingPoints() {
		final SyntheticSpots.Data spots = SyntheticSpots.generate(24, 48, 36, 5);
		final ImagePlus image = spots.image();
		image.setOverlay(null);
		for (final PlaneKeypoints plane : spots.truth()) {
			final int index = plane.plane().stackIndex();
			if (index % 3 == 0) hide(plane, 1);
			if (index == 2) hide(plane, 0);
		}
		AnnotatedStack.annotate(image, spots.truth(), SyntheticSpots.NAMES, null);
		return AnnotatedStack.read(image, null);
	}

	private static void hide(final PlaneKeypoints plane, final int k) {
		plane.x()[k] = Double.NaN;
		plane.y()[k] = Double.NaN;
	}

	@Test
	void planesLackingAPointTrainToFiniteLossesAndEvaluate() {
		final AnnotatedStack stack = spotsWithMissingPoints();
		assertEquals(9, stack.objects().stream().mapToInt(o -> o.count() - o.labelledCount()).sum());
		assertTrainsAndEvaluates(stack, Architecture.NOSE_NET, 48, 36);
	}

	/** The heatmap network's loss masks whole maps: the same for it (slow: its backbone takes half a minute). */
	@Test
	@Tag("slow")
	void heatmapNetworksTooTrainOnPlanesLackingAPoint() {
		assertTrainsAndEvaluates(spotsWithMissingPoints(), Architecture.HEATMAP_NET, 32, 32);
	}

	private void assertTrainsAndEvaluates(final AnnotatedStack stack, final Architecture architecture, final int width,
		final int height)
	{
		final Path output = folder.resolve(architecture + ".zip");
		final java.util.List<String> messages = new java.util.ArrayList<>();
		final TrainingRun.Result result = TrainingRun.run(stack, new TrainingRequest(architecture, width, height, 2, 4,
			1e-3f, true, "all", "0.25", 3, DeviceChoice.CPU, output, null), new TrainingListener() {

				@Override
				public void message(final String text) {
					messages.add(text);
				}
			}, Progress.NONE);
		assertTrue(messages.contains("9 point(s) are not visible on their planes (no coordinates): the losses leave them " +
			"out there."), messages.toString());
		for (final EpochRecord epoch : result.history()) {
			assertTrue(Double.isFinite(epoch.trainLoss()), architecture + ": " + epoch);
			assertTrue(Double.isFinite(epoch.validationLoss()), architecture + ": " + epoch);
			assertTrue(Double.isFinite(epoch.validationErrorPx()), architecture + ": " + epoch);
		}
		try (KeypointModel model = ModelFile.load(output, Device.cpu())) {
			for (final float coordinate : model.description().meanShape()) assertTrue(Float.isFinite(coordinate));
			final Evaluation evaluation = Evaluation.of(model, stack, Progress.NONE);
			assertTrue(Double.isFinite(evaluation.summary().model().meanError()), architecture.toString());
			assertTrue(Double.isFinite(evaluation.summary().meanShape().meanError()), architecture.toString());
		}
	}
}
