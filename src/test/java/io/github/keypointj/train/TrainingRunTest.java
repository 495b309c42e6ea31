package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ij.ImagePlus;
import ij.plugin.Duplicator;
import ij.process.StackConverter;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.engine.ConvolutionCheck;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.NativeMemory;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class TrainingRunTest {

	@TempDir
	Path folder;

	private static AnnotatedStack spots(final int planes, final int width, final int height) {
		return AnnotatedStack.read(SyntheticSpots.generate(planes, width, height, 1).image(), null);
	}

	private TrainingRequest request(final Architecture architecture, final int width, final int height, final int epochs,
		final int batch, final float rate, final String output)
	{
		return new TrainingRequest(architecture, width, height, epochs, batch, rate, false, "all", "0.1", 3,
			DeviceChoice.CPU, folder.resolve(output), null);
	}

	/** Each architecture, small inputs and a few epochs, ends well below the mean-shape baseline. */
	@Test
	void eachArchitectureLearnsToHalfTheMeanShapeError() {
		assertLearns(spots(440, 48, 36), request(Architecture.NOSE_NET, 48, 36, 10, 8, 2e-3f, "nose.zip"));
		// FaceNet's five unpadded convolutions learn slowly on 100x100 spots: the disc alone, to keep the test short
		assertLearns(spots(440, 100, 100), new TrainingRequest(Architecture.FACE_NET, 100, 100, 8, 4, 1e-3f, false, "0", "0.1",
			3, DeviceChoice.CPU, folder.resolve("face.zip"), null));
		assertLearns(spots(400, 48, 48), request(Architecture.RESNET18, 48, 48, 10, 32, 1e-3f, "resnet.zip"));
		assertLearns(spots(400, 48, 48), request(Architecture.HEATMAP_NET, 48, 48, 10, 32, 1e-3f, "heatmap.zip"));
	}

	/**
	 * Issue 27, case 5: with 46 frames and the recipe's defaults an epoch was 2 optimiser steps and most of
	 * its time validation and saving. Left at the defaults, the batch is at most the training planes and an
	 * epoch makes the steps of the recipes' data sets; epochs a user gives are passes, as ever.
	 */
	@Test
	void aSmallStackLeftAtTheDefaultsGetsEpochsOfSeveralSteps() {
		final AnnotatedStack stack = spots(10, 48, 48);
		final List<String> messages = new java.util.ArrayList<>();
		final List<Integer> batchesPerEpoch = new java.util.ArrayList<>();
		final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
		final TrainingListener watcher = new TrainingListener() {

			@Override
			public void batchDone(final int epoch, final int batch, final int batches, final double loss,
				final double samplesPerSecond, final double secondsLeft)
			{
				if (batch == 1) batchesPerEpoch.add(batches);
			}

			@Override
			public void epochDone(final EpochRecord record, final boolean best) {
				stop.set(true);
			}

			@Override
			public void message(final String text) {
				messages.add(text);
			}
		};
		final Progress stopAfterAnEpoch = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {}

			@Override
			public boolean isCanceled() {
				return stop.get();
			}
		};
		final Path output = folder.resolve("small.zip");
		TrainingRun.run(stack, new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 0, 0, 1e-3f, false, "all", "0.1", 3,
			DeviceChoice.CPU, output, null), watcher, stopAfterAnEpoch);
		final var settings = ModelFile.readDescription(output).trainingSettings();
		assertEquals("9", settings.get("batch_size"), "the recipe's 32, at most the 9 training planes");
		assertEquals("10", settings.get("passes_per_epoch"));
		assertEquals(List.of(10), batchesPerEpoch);
		assertTrue(messages.get(0).contains("epochs 1-80 (each showing every training plane 10 times: 10 steps, so that an " +
			"epoch is mostly training), batch 9"), messages.get(0));

		stop.set(false);
		batchesPerEpoch.clear();
		TrainingRun.run(stack, new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 1, 0, 1e-3f, false, "all", "0.1", 3,
			DeviceChoice.CPU, folder.resolve("given.zip"), null), watcher, Progress.NONE);
		assertEquals(List.of(1), batchesPerEpoch, "epochs given: each a pass over the planes");
		// the recipe's number, as Train's dialog shows it, is the recipe's too
		assertEquals(10, TrainingRun.passesPerEpoch(new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 80, 0, 1e-3f,
			false, "all", "0.1", 3, DeviceChoice.CPU, output, null), 9, 9));
		assertEquals(1, TrainingRun.passesPerEpoch(new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 80, 0, 1e-3f,
			false, "all", "0.1", 3, DeviceChoice.CPU, output, null), 1675, 32), "a recipe's data set: once");
	}

	/**
	 * The loss is part of the recipe: recorded in the model's settings and said in the Log, kept by a
	 * resumed run (another one is refused, naming both), and refused for the networks that regress
	 * coordinates with the report's MSE.
	 */
	@Test
	void theWingLossIsRecordedKeptWhenResumingAndOnlyForHeatmapNetworks() {
		final AnnotatedStack stack = spots(20, 32, 32);
		final Path output = folder.resolve("wing.zip");
		final List<String> messages = new java.util.ArrayList<>();
		final TrainingListener log = loggingInto(messages);
		TrainingRun.run(stack, withLoss(request(Architecture.HEATMAP_NET, 32, 32, 1, 4, 1e-3f, "wing.zip"),
			CoordinateLoss.WING), log, Progress.NONE);
		final var settings = ModelFile.readDescription(output).trainingSettings();
		assertEquals("wing", settings.get("loss"));
		assertTrue(settings.get("optimizer").contains("loss: Wing (w 10.0, epsilon 2.0)"), settings.get("optimizer"));
		assertTrue(messages.stream().anyMatch(m -> m.contains("learning rate 0.001, loss wing,")), messages.toString());

		final TrainingRequest resumedWithL1 = new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 2, 4, 1e-3f, false,
			"all", "0.1", 3, DeviceChoice.CPU, output, ModelOutput.checkpointOf(output));
		final KeypointException other = assertThrows(KeypointException.class, () -> TrainingRun.run(stack, resumedWithL1,
			TrainingListener.NONE, Progress.NONE));
		assertEquals("resume_from: " + ModelOutput.checkpointOf(output) + " was trained with loss=wing; a resumed run goes " +
			"on with it: give loss=wing.", other.getMessage());
		TrainingRun.run(stack, withLoss(resumedWithL1, CoordinateLoss.WING), TrainingListener.NONE, Progress.NONE);
		assertEquals(2, ModelFile.readDescription(output).history().size());

		assertEquals(CoordinateLoss.L1, withLoss(resumedWithL1, null).loss(), "a script's null");
		assertMessage(stack, withLoss(request(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f, "nose.zip"), CoordinateLoss.WING),
			"loss=wing is for the heatmap architectures; NoseNet learns with the report's mean squared error: leave loss at L1.");
	}

	/**
	 * A labelling's offset from mirror symmetry is part of the model: kept in its description (which the
	 * average with the mirror image reads) and settings, said in the Log, kept by a resumed run (another
	 * value is refused, naming the checkpoint's), and refused beyond what a labelling's bias can be.
	 */
	@Test
	void theMirrorOffsetIsRecordedKeptWhenResumingAndBounded() {
		final AnnotatedStack stack = spots(20, 32, 32);
		final Path output = folder.resolve("offset.zip");
		final List<String> messages = new java.util.ArrayList<>();
		final TrainingListener log = loggingInto(messages);
		TrainingRun.run(stack, withMirrorOffset(request(Architecture.HEATMAP_NET, 32, 32, 1, 4, 1e-3f, "offset.zip"),
			0.005), log, Progress.NONE);
		assertEquals(0.005, ModelFile.readDescription(output).mirrorOffset());
		assertEquals("0.005", ModelFile.readDescription(output).trainingSettings().get("mirror_offset"));
		assertTrue(messages.stream().anyMatch(m -> m.contains("the annotations 0.005 of a box right of mirror symmetry")),
			messages.toString());

		final TrainingRequest resumedWithout = new TrainingRequest(Architecture.HEATMAP_NET, 32, 32, 2, 4, 1e-3f, false,
			"all", "0.1", 3, DeviceChoice.CPU, output, ModelOutput.checkpointOf(output));
		final KeypointException other = assertThrows(KeypointException.class, () -> TrainingRun.run(stack, resumedWithout,
			TrainingListener.NONE, Progress.NONE));
		assertEquals("resume_from: " + ModelOutput.checkpointOf(output) + " was trained with mirror_offset=0.005; a resumed " +
			"run goes on with it: give mirror_offset=0.005.", other.getMessage());
		TrainingRun.run(stack, withMirrorOffset(resumedWithout, 0.005), TrainingListener.NONE, Progress.NONE);
		assertEquals(2, ModelFile.readDescription(output).history().size());
		assertEquals(0.005, ModelFile.readDescription(output).mirrorOffset());

		assertMessage(stack, withMirrorOffset(request(Architecture.HEATMAP_NET, 32, 32, 1, 4, 1e-3f, "far.zip"), -0.2),
			"mirror_offset=-0.2 is not a labelling's offset from mirror symmetry (a fraction of the box, at most 0.05 " +
			"either way; 300-W's is about 0.005); give 0 when unsure.");
		assertMessage(stack, withMirrorOffset(request(Architecture.HEATMAP_NET, 32, 32, 1, 4, 1e-3f, "nan.zip"), Double.NaN),
			"mirror_offset=NaN is not a labelling's offset");
	}

	/** A listener that keeps the run's messages. */
	private static TrainingListener loggingInto(final List<String> messages) {
		return new TrainingListener() {

			@Override
			public void message(final String text) {
				messages.add(text);
			}
		};
	}

	private static TrainingRequest withMirrorOffset(final TrainingRequest r, final double offset) {
		return with(r, r.loss(), offset);
	}

	private static TrainingRequest withLoss(final TrainingRequest r, final CoordinateLoss loss) {
		return with(r, loss, r.mirrorOffset());
	}

	private static TrainingRequest with(final TrainingRequest r, final CoordinateLoss loss, final double mirrorOffset) {
		return new TrainingRequest(r.architecture(), r.inputWidth(), r.inputHeight(), r.epochs(), r.batchSize(),
			r.learningRate(), r.augment(), r.keypoints(), r.validation(), r.seed(), r.device(), r.output(), r.overwrite(),
			r.resumeFrom(), r.mirrorPairs(), r.objectStage(), r.objectEpochs(), r.startFrom(), loss, mirrorOffset);
	}

	@Test
	void heatmapNetworksDecayTheirRateTheOthersKeepTheReports() {
		final TrainingRequest heatmap = request(Architecture.HEATMAP_NET, 48, 48, 11, 32, 1e-3f, "h.zip");
		assertEquals(1e-3f, TrainingRun.learningRate(heatmap, 1), 1e-9);
		assertEquals(1e-3f * (0.01 + 0.99 * 0.5), TrainingRun.learningRate(heatmap, 6), 1e-9, "half way: the cosine's middle");
		assertEquals(1e-5f, TrainingRun.learningRate(heatmap, 11), 1e-9, "1 % at the last epoch");
		final TrainingRequest resnet = request(Architecture.RESNET18, 48, 48, 11, 32, 1e-3f, "r.zip");
		for (int epoch = 1; epoch <= 11; epoch++) assertEquals(1e-3f, TrainingRun.learningRate(resnet, epoch));
	}

	private static void assertLearns(final AnnotatedStack stack, final TrainingRequest request) {
		final TrainingRun.Result result = TrainingRun.run(stack, request, TrainingListener.NONE, Progress.NONE);
		try (KeypointModel model = ModelFile.load(request.output(), Device.cpu())) {
			final ValidationSplit.Split split = ValidationSplit.split(stack, request.validation(), request.seed());
			final AnnotatedStack selected = KeypointSelection.select(stack, KeypointSelection.parse(request.keypoints(),
				stack.keypointCount()));
			final AnnotatedStack held = new AnnotatedStack(stack.image(),
				split.validation().stream().map(selected.objects()::get).toList(), selected.keypointNames(), 0, null);
			final Evaluation.Summary summary = Evaluation.of(model, held, Progress.NONE).summary();
			assertTrue(summary.model().meanError() < summary.meanShape().meanError() / 2, request.architecture().label() +
				": error " + summary.model().meanError() + " px, mean shape " + summary.meanShape().meanError() + " px, epochs " +
				result.history());
		}
	}

	/**
	 * start_from: a heatmap network trained at 32x32 goes on at 48x48 from its weights (its first epoch at the
	 * new size is already far better than a fresh network's), and the settings say where it came from; a
	 * NoseNet, whose dense layer fixes its input size, is refused at another size, naming the parameter.
	 */
	@Test
	void aRunStartsFromAnotherModelsWeightsAtAnotherInputSize() {
		final AnnotatedStack stack = spots(200, 48, 48);
		final TrainingRequest small = request(Architecture.HEATMAP_NET, 32, 32, 6, 16, 2e-3f, "small.zip");
		TrainingRun.run(stack, small, TrainingListener.NONE, Progress.NONE);
		final TrainingRequest fresh = request(Architecture.HEATMAP_NET, 48, 48, 1, 16, 1e-30f, "fresh.zip");
		final TrainingRequest started = withStart(request(Architecture.HEATMAP_NET, 48, 48, 1, 16, 1e-30f, "started.zip"),
			small.output());
		final double freshError = TrainingRun.run(stack, fresh, TrainingListener.NONE, Progress.NONE).history().get(0)
			.validationErrorPx();
		final double startedError = TrainingRun.run(stack, started, TrainingListener.NONE, Progress.NONE).history().get(0)
			.validationErrorPx();
		assertTrue(startedError < freshError / 2, "started " + startedError + " px, fresh " + freshError + " px");
		assertEquals("small.zip (32x32, 6 epochs)", ModelFile.readDescription(started.output()).trainingSettings()
			.get("started_from"));

		final TrainingRequest nose = request(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f, "nose.zip");
		TrainingRun.run(stack, nose, TrainingListener.NONE, Progress.NONE);
		final Path wider = folder.resolve("wider.zip");
		final KeypointException refused = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
			withStart(request(Architecture.NOSE_NET, 64, 48, 1, 4, 1e-3f, "wider.zip"), nose.output()),
			TrainingListener.NONE, Progress.NONE));
		assertTrue(refused.getMessage().startsWith("start_from: the weights of " + nose.output() + " (48x36) do not fit " +
			"a NoseNet of 64x48"), refused.getMessage());
		assertFalse(Files.exists(wider), "nothing written");
		final KeypointException other = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
			withStart(request(Architecture.HEATMAP_NET, 48, 48, 1, 4, 1e-3f, "other.zip"), nose.output()),
			TrainingListener.NONE, Progress.NONE));
		assertEquals("start_from: " + nose.output() + " is a NoseNet for 1-channel images with 2 keypoints; this run " +
			"trains a HeatmapNet for 3-channel images with 2 keypoints.", other.getMessage());
	}

	private static TrainingRequest withStart(final TrainingRequest r, final Path startFrom) {
		return new TrainingRequest(r.architecture(), r.inputWidth(), r.inputHeight(), r.epochs(), r.batchSize(),
			r.learningRate(), r.augment(), r.keypoints(), r.validation(), r.seed(), r.device(), r.output(), r.overwrite(),
			r.resumeFrom(), r.mirrorPairs(), r.objectStage(), r.objectEpochs(), startFrom);
	}

	@Test
	void theSameSeedGivesTheSameLossCurve() {
		final AnnotatedStack stack = spots(60, 48, 36);
		final double[] first = losses(TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 2, 4, 1e-3f, "a.zip"),
			TrainingListener.NONE, Progress.NONE).history());
		final double[] second = losses(TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 2, 4, 1e-3f, "b.zip"),
			TrainingListener.NONE, Progress.NONE).history());
		assertArrayEquals(first, second);
	}

	/** For both kinds of network: the heatmap network's decaying rate must continue where it stopped too. */
	@Test
	void resumingFromACheckpointEndsWhereAnUninterruptedRunEnds() {
		final AnnotatedStack stack = spots(60, 48, 36);
		for (final Architecture architecture : List.of(Architecture.NOSE_NET, Architecture.HEATMAP_NET)) {
			final int width = architecture == Architecture.NOSE_NET ? 48 : 32, height = architecture == Architecture.NOSE_NET ? 36 : 32;
			final String name = architecture.label();
			final TrainingRequest straight = request(architecture, width, height, 4, 4, 1e-3f, name + "-straight.zip");
			final List<EpochRecord> uninterrupted = TrainingRun.run(stack, straight, TrainingListener.NONE, Progress.NONE)
				.history();

			// the same run, stopped by the user after epoch 2, then resumed
			final TrainingRequest firstHalf = request(architecture, width, height, 4, 4, 1e-3f, name + "-halves.zip");
			final boolean[] stop = new boolean[1];
			final TrainingListener stopAfterTwo = new TrainingListener() {

				@Override
				public void epochDone(final EpochRecord record, final boolean best) {
					stop[0] = record.epoch() == 2;
				}
			};
			final Progress stopped = new Progress() {

				@Override
				public void report(final String status, final int done, final int total) {}

				@Override
				public boolean isCanceled() {
					return stop[0];
				}
			};
			assertTrue(TrainingRun.run(stack, firstHalf, stopAfterTwo, stopped).canceled());
			final TrainingRequest secondHalf = new TrainingRequest(architecture, width, height, 4, 4, 1e-3f, false, "all",
				"0.1", 3, DeviceChoice.CPU, firstHalf.output(), ModelOutput.checkpointOf(firstHalf.output()));
			final List<EpochRecord> resumed = TrainingRun.run(stack, secondHalf, TrainingListener.NONE, Progress.NONE)
				.history();

			assertEquals(4, resumed.size());
			for (int i = 0; i < 4; i++) {
				assertEquals(uninterrupted.get(i).trainLoss(), resumed.get(i).trainLoss(), 1e-5, name + " epoch " + (i + 1));
				assertEquals(uninterrupted.get(i).validationErrorPx(), resumed.get(i).validationErrorPx(), 1e-3,
					name + " epoch " + (i + 1));
			}
		}
	}

	/**
	 * Stopped in its first epoch, a run writes nothing: a trained model it was to replace (overwrite=true)
	 * stays as it was (issue 26, case 1). Stopped in a later epoch, the output holds the best finished one.
	 */
	@Test
	void cancellingMidEpochLeavesAValidModelAndTheFirstEpochNone() throws Exception {
		final AnnotatedStack stack = spots(60, 48, 36);
		final TrainingRequest first = request(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f, "cancelled.zip");
		TrainingRun.run(stack, first, TrainingListener.NONE, Progress.NONE);
		final byte[] trained = Files.readAllBytes(first.output());
		final byte[] checkpoint = Files.readAllBytes(ModelOutput.checkpointOf(first.output()));
		final TrainingRequest again = new TrainingRequest(Architecture.NOSE_NET, 48, 36, 3, 4, 1e-3f, false, "all", "0.1",
			4, DeviceChoice.CPU, first.output(), true, null);
		final int[] batches = new int[1];
		final TrainingRun.Result stoppedEarly = TrainingRun.run(stack, again, TrainingListener.NONE, cancelAfter(5, batches));
		assertTrue(stoppedEarly.canceled());
		assertEquals(5, batches[0], "stopped after the batch under way");
		assertFalse(stoppedEarly.wroteModel());
		assertArrayEquals(trained, Files.readAllBytes(first.output()), "the trained model is as it was");
		assertArrayEquals(checkpoint, Files.readAllBytes(ModelOutput.checkpointOf(first.output())), "nor its checkpoint");

		final int perEpoch = 54 / 4 + 1;
		batches[0] = 0;
		final TrainingRun.Result stoppedLater = TrainingRun.run(stack, again, TrainingListener.NONE,
			cancelAfter(perEpoch + 3, batches));
		assertTrue(stoppedLater.canceled());
		assertEquals(1, stoppedLater.bestEpoch(), "the epoch it finished");
		try (KeypointModel model = ModelFile.load(first.output(), Device.cpu())) {
			assertEquals(1, model.description().history().size());
			assertEquals("4", model.description().trainingSettings().get("seed"), "this run's model");
		}
	}

	/** Cancels once {@code after} batches are done, counting them in {@code batches[0]}. */
	private static Progress cancelAfter(final int after, final int[] batches) {
		return new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {
				batches[0]++;
			}

			@Override
			public boolean isCanceled() {
				return batches[0] >= after;
			}
		};
	}

	@Test
	void badInputsStopWithAClearMessageAndNoCorruptModel() {
		final AnnotatedStack stack = spots(20, 48, 36);
		assertMessage(stack, request(Architecture.NOSE_NET, 48, 36, 1, 64, 1e-3f, "m.zip"),
			"batch_size=64 is larger than the training set (18 planes)");
		assertMessage(stack, new TrainingRequest(Architecture.NOSE_NET, 48, 36, 1, 1, 1e-3f, false, "0,7", "0.1", 1,
			DeviceChoice.CPU, folder.resolve("m.zip"), null), "keypoints: index 7 is out of range");
		assertMessage(spots(1, 48, 36), request(Architecture.NOSE_NET, 48, 36, 1, 1, 1e-3f, "m.zip"), "selects no planes");
		assertMessage(stack, request(Architecture.FACE_NET, 48, 36, 1, 1, 1e-3f, "m.zip"), "FaceNet needs inputs of at least");
		// issue 14, case 5: every bad value names its key and the value given
		assertMessage(stack, request(Architecture.NOSE_NET, 48, 36, -3, 1, 1e-3f, "m.zip"), "epochs=-3 is negative");
		assertMessage(stack, request(Architecture.NOSE_NET, 48, 36, 1, -2, 1e-3f, "m.zip"), "batch_size=-2 is negative");
		assertMessage(stack, request(Architecture.NOSE_NET, -48, 36, 1, 1, 1e-3f, "m.zip"), "input_width=-48 is negative");
		assertMessage(stack, request(Architecture.NOSE_NET, 48, 36, 1, 1, Float.NaN, "m.zip"),
			"learning_rate=NaN is not a positive number");
		assertMessage(stack, request(Architecture.NOSE_NET, 48, 36, 1, 1, Float.POSITIVE_INFINITY, "m.zip"),
			"learning_rate=Infinity is not a positive number");

		// A learning rate that makes the loss explode: whatever was saved before is a good epoch's model.
		final Path exploding = folder.resolve("exploding.zip");
		final KeypointException e = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
			new TrainingRequest(Architecture.NOSE_NET, 48, 36, 5, 2, 1e20f, false, "all", "0.1", 1, DeviceChoice.CPU, exploding,
				null), TrainingListener.NONE, Progress.NONE));
		assertTrue(e.getMessage().contains("learning_rate=1.0E20 is too high"), e.getMessage());
		assertTrue(e.getMessage().endsWith("No model was written."), e.getMessage());
		assertFalse(Files.exists(exploding));
		// ... and after a good epoch, resumed with that rate: the file keeps the good epoch
		TrainingRun.run(stack, new TrainingRequest(Architecture.NOSE_NET, 48, 36, 1, 2, 1e-3f, false, "all", "0.1", 1,
			DeviceChoice.CPU, exploding, null), TrainingListener.NONE, Progress.NONE);
		final KeypointException resumed = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
			new TrainingRequest(Architecture.NOSE_NET, 48, 36, 3, 2, 1e20f, false, "all", "0.1", 1, DeviceChoice.CPU, exploding,
				ModelOutput.checkpointOf(exploding)), TrainingListener.NONE, Progress.NONE));
		assertTrue(resumed.getMessage().endsWith(exploding + " still holds the model of epoch 1."), resumed.getMessage());
		try (KeypointModel model = ModelFile.load(exploding, Device.cpu())) {
			assertEquals(1, model.description().history().size());
			assertTrue(Double.isFinite(model.description().history().get(0).trainLoss()));
		}
	}

	/**
	 * Each training may run on a new thread, in another of glibc's arenas, which kept what that training
	 * freed: over repeated ResNet-18 trainings the process grew by hundreds of MB a run (issue 14). A
	 * training, finished or failed, hands the freed memory back.
	 */
	@Test
	void aTrainingFinishedOrFailedHandsFreedNativeMemoryBack() throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		final AnnotatedStack stack = spots(20, 48, 36);
		final int before = NativeMemory.handedBack();
		final Thread training = new Thread(() -> TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f,
			"handed-back.zip"), TrainingListener.NONE, Progress.NONE), "a Fiji command's thread");
		training.start();
		training.join();
		assertTrue(Files.exists(folder.resolve("handed-back.zip")), "the training ran");
		assertEquals(before + 1, NativeMemory.handedBack(), "after a finished training");
		assertThrows(KeypointException.class, () -> TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 1, 400,
			1e-3f, "too-large-a-batch.zip"), TrainingListener.NONE, Progress.NONE));
		assertEquals(before + 2, NativeMemory.handedBack(), "after a failed one");
	}

	/**
	 * What the JVM's shutdown hook does (SIGTERM, System.exit): the training stops after the batch under
	 * way and has left the engine before the hook returns, so that libtorch's exit never meets a training
	 * thread inside a backward pass (the SIGSEGV of 2026-11-28); no training starts afterwards.
	 */
	@Test
	void aShutdownStopsTheTrainingAndWaitsForIt() throws Exception {
		final ShutdownGuard guard = new ShutdownGuard();
		final AnnotatedStack stack = spots(60, 48, 36);
		final TrainingRequest request = request(Architecture.NOSE_NET, 48, 36, 100, 4, 1e-3f, "stopped.zip");
		final CountDownLatch batches = new CountDownLatch(3);
		final AtomicReference<TrainingRun.Result> result = new AtomicReference<>();
		final Thread training = new Thread(() -> result.set(TrainingRun.run(stack, request, TrainingListener.NONE,
			(status, done, total) -> batches.countDown(), guard)));
		training.start();
		assertTrue(batches.await(60, TimeUnit.SECONDS), "training started");
		guard.stopAndWait();
		training.join(5000);
		assertFalse(training.isAlive(), "the training ended before the shutdown went on");
		assertTrue(result.get().canceled());
		// stopped in its first epoch: nothing written (issue 26, case 1), not an untrained model
		assertFalse(result.get().wroteModel());
		assertFalse(Files.exists(request.output()));
		final KeypointException refused = assertThrows(KeypointException.class, () -> TrainingRun.run(stack, request,
			TrainingListener.NONE, Progress.NONE, guard));
		assertEquals("Java is shutting down: the training did not start.", refused.getMessage());
	}

	/**
	 * Resuming into a file that holds another model (here one of one keypoint) replaces it with this
	 * run's model, whether or not the epoch improves; it never writes this run's description over the
	 * other model's weights (issue 14, case 1). It asks for overwrite=true first, as the command does.
	 */
	@Test
	void resumingIntoAnotherModelsFileNeverDamagesIt() throws Exception {
		final AnnotatedStack stack = spots(60, 48, 36);
		final Path first = folder.resolve("first.zip");
		TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 2, 4, 1e-3f, "first.zip"), TrainingListener.NONE,
			Progress.NONE);
		final Path other = folder.resolve("other.zip");
		TrainingRun.run(stack, new TrainingRequest(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f, false, "0", "0.1", 3,
			DeviceChoice.CPU, other, null), TrainingListener.NONE, Progress.NONE);
		final byte[] otherModel = Files.readAllBytes(other);
		final KeypointException refused = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
			new TrainingRequest(Architecture.NOSE_NET, 48, 36, 3, 4, 1e-3f, false, "all", "0.1", 3, DeviceChoice.CPU, other,
				ModelOutput.checkpointOf(first)), TrainingListener.NONE, Progress.NONE));
		assertEquals(other + " exists; choose another model file or set overwrite=true (it is not the model of the run " +
			"resumed from first.checkpoint.zip).", refused.getMessage());
		assertArrayEquals(otherModel, Files.readAllBytes(other));
		// a learning rate that changes no weight: the epoch cannot improve on the resumed run's best
		final TrainingRun.Result result = TrainingRun.run(stack, new TrainingRequest(Architecture.NOSE_NET, 48, 36, 3, 4,
			1e-30f, false, "all", "0.1", 3, DeviceChoice.CPU, other, true, ModelOutput.checkpointOf(first)),
			TrainingListener.NONE, Progress.NONE);
		assertEquals(3, result.bestEpoch(), "the output holds the epoch this run wrote");
		try (KeypointModel model = ModelFile.load(other, Device.cpu())) {
			assertEquals(2, model.description().keypointCount());
			assertEquals(3, model.description().history().size());
			assertEquals("3", model.description().trainingSettings().get("epochs"), "what it was trained for");
			assertEquals("at epoch 3 with epochs=3 (was 2) on " + java.time.LocalDate.now() + " (cpu())",
				model.description().trainingSettings().get("resumed"));
		}
		// issue 14, case 10: resuming with no epoch left to train says so and writes nothing
		final Path none = folder.resolve("none.zip");
		assertMessage(stack, new TrainingRequest(Architecture.NOSE_NET, 48, 36, 2, 4, 1e-3f, false, "all", "0.1", 3,
			DeviceChoice.CPU, none, ModelOutput.checkpointOf(first)),
			"epochs=2: first.checkpoint.zip has trained 2 epoch(s) already; give more epochs to continue it. Nothing was written.");
		assertFalse(Files.exists(none));
	}

	/** The best model is chosen by validation error; a loss is never compared with pixels (issue 14, case 2). */
	@Test
	void anEpochWhoseValidationIsNotANumberNeverReplacesTheBestModel() {
		final EpochRecord validated = new EpochRecord(3, 0.20, 0.01, 28.9, 1);
		final EpochRecord notANumber = new EpochRecord(4, 0.08, Double.NaN, Double.NaN, 1);
		assertFalse(TrainingRun.improves(notANumber, validated), "a loss of 0.08 is no better than 28.9 px");
		assertTrue(TrainingRun.improves(validated, notANumber));
		assertTrue(TrainingRun.improves(new EpochRecord(5, 0.30, 0.02, 20.0, 1), validated));
		assertFalse(TrainingRun.improves(new EpochRecord(5, 0.01, 0.001, 30.0, 1), validated), "validation decides");
		assertTrue(TrainingRun.improves(new EpochRecord(2, 0.05, Double.NaN, Double.NaN, 1),
			new EpochRecord(1, 0.06, Double.NaN, Double.NaN, 1)), "without validation, the training loss decides");
		assertTrue(TrainingRun.improves(validated, null));
	}

	/**
	 * While a training runs: a second one is refused with a message that says why (issue 14, case 12), and
	 * the convolution check of a model at a new input size runs beside it (DJL allows one gradient
	 * collector per process, which the training holds).
	 */
	@Test
	void whileATrainingRunsASecondIsRefusedAndChecksStillRun() throws Exception {
		final ShutdownGuard guard = new ShutdownGuard();
		final AnnotatedStack stack = spots(60, 48, 36);
		final CountDownLatch batches = new CountDownLatch(2);
		final Thread first = new Thread(() -> TrainingRun.run(stack, request(Architecture.NOSE_NET, 48, 36, 100, 4, 1e-3f,
			"first.zip"), TrainingListener.NONE, (status, done, total) -> batches.countDown(), guard));
		first.start();
		try {
			assertTrue(batches.await(60, TimeUnit.SECONDS), "the first training runs");
			final KeypointException refused = assertThrows(KeypointException.class, () -> TrainingRun.run(stack,
				request(Architecture.NOSE_NET, 48, 36, 1, 4, 1e-3f, "second.zip"), TrainingListener.NONE, Progress.NONE));
			assertTrue(refused.getMessage().startsWith("Another training is running"), refused.getMessage());
			assertFalse(Files.exists(folder.resolve("second.zip")));
			final ConvolutionCheck.Result check = ConvolutionCheck.run(Architecture.NOSE_NET.convolutionShapes(1, 52, 44, 1),
				Architecture.checkSteps(), Convolutions::forward);
			assertTrue(check.passed(), check.failures().toString());
		}
		finally {
			guard.stopAndWait();
			first.join(10000);
		}
		assertFalse(first.isAlive());
	}

	/**
	 * NaN pixels are the data's fault, said as such before any training, naming the slice (issue 26, case
	 * 7: crops turned one NaN plane into finite garbage that pushed the loss up without a word).
	 */
	@Test
	void nanPixelsAreNamedAsTheCause() {
		final ImagePlus image = SyntheticSpots.generate(20, 48, 36, 1).image();
		final ImagePlus floats = new Duplicator().run(image);
		new StackConverter(floats).convertToGray32();
		floats.setOverlay(image.getOverlay());
		floats.getStack().getProcessor(7).putPixelValue(5, 9, Double.NaN);
		final TrainingRequest request = request(Architecture.NOSE_NET, 48, 36, 1, 2, 1e-3f, "nan.zip");
		assertMessage(AnnotatedStack.read(floats, null), request, "slice 7 of '" + floats.getTitle() + "' has a NaN " +
			"pixel at (5, 9): replace such pixels (Process > Math > Remove NaNs...) or leave the slice out, then train again.");
	}

	private static void assertMessage(final AnnotatedStack stack, final TrainingRequest request, final String part) {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> TrainingRun.run(stack, request, TrainingListener.NONE, Progress.NONE));
		assertTrue(e.getMessage().contains(part), e.getMessage());
		assertFalse(Files.exists(request.output()), "no model file written");
	}

	private static double[] losses(final List<EpochRecord> history) {
		return history.stream().mapToDouble(EpochRecord::trainLoss).toArray();
	}
}
