package io.github.keypointj.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.augment.BatchLoader;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.model.ObjectStage;
import io.github.keypointj.model.ObjectStageDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.objects.SceneComposer;
import io.github.keypointj.detect.ThresholdChoice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Trains a model's object stage from the same annotated stack as its keypoint network: scenes composed
 * of the annotated planes ({@link SceneComposer}), the boxes of their objects as targets
 * ({@link ObjectLoss}), Adam with a cosine schedule. The model file gets the stage after every epoch,
 * so a stopped run keeps what it did; a run on a file that has a stage already continues it.
 */
public final class ObjectStageTraining {

	/**
	 * @param epochs the stage's epochs in all (a file whose stage has trained some continues from there);
	 *        each epoch shows every annotated plane once in a scene, besides the others drawn into it
	 * @param inputSide the side of the square a whole plane is fitted into
	 */
	public record Request(int epochs, int batchSize, float learningRate, int inputSide, long seed, DeviceChoice device) {

		public static final int DEFAULT_SIDE = 256;
		public static final int DEFAULT_BATCH = 16;
		public static final float DEFAULT_LEARNING_RATE = 2e-3f;

		/** The defaults but for the epochs. */
		public static Request of(final int epochs, final long seed, final DeviceChoice device) {
			return new Request(epochs, DEFAULT_BATCH, DEFAULT_LEARNING_RATE, DEFAULT_SIDE, seed, device);
		}
	}

	/** The score a fresh stage keeps objects from, until one is chosen on held-out photos. */
	public static final double DEFAULT_THRESHOLD = 0.3;

	/** Scenes of held-out planes the threshold is chosen on, at least. */
	static final int CALIBRATION_SCENES = 200;

	/** How long trained epochs may stay unsaved: a stop loses no more. */
	private static final long SAVE_EVERY_NANOS = 60_000_000_000L;

	private ObjectStageTraining() {}

	/**
	 * Gives the model in {@code modelFile} an object stage trained on {@code stack}, or trains its stage
	 * further, writing the file after every epoch (atomically).
	 *
	 * @return the stage's epochs, all of them; whether it was stopped
	 */
	public static TrainingRun.Result addTo(final Path modelFile, final AnnotatedStack stack, final Request request,
		final TrainingListener listener, final Progress progress)
	{
		return addTo(modelFile, stack, List.of(), request, listener, progress);
	}

	/**
	 * {@link #addTo(Path, AnnotatedStack, Request, TrainingListener, Progress)}, holding the planes
	 * {@code heldOut} (stack indices) out of training: the stage's threshold is chosen on scenes of them
	 * ({@link ThresholdChoice}). Without held-out planes the threshold stays {@value #DEFAULT_THRESHOLD}.
	 */
	public static TrainingRun.Result addTo(final Path modelFile, final AnnotatedStack stack, final List<Integer> heldOut,
		final Request request, final TrainingListener listener, final Progress progress)
	{
		return ShutdownGuard.JVM.run("the object stage's training", progress, stoppable -> {
			if (!TrainingRun.ONE_AT_A_TIME.tryLock()) {
				throw new KeypointException("Another training is running in this Fiji (Java process): PyTorch's engine " +
					"trains one network at a time here. Start this one when the other has finished, or in a second Fiji.");
			}
			try {
				final ModelDescription description = ModelFile.readDescription(modelFile);
				if (!description.crop().fromBox()) {
					throw new KeypointException("The model " + modelFile.getFileName() + " (" + description.architecture().label() +
						") sees whole planes: it places its points without finding objects first, and needs no object stage.");
				}
				final Device[] devices = KeypointEngine.devices(request.device());
				if (devices[0].equals(Device.cpu())) Architecture.verifyTraining();
				try (KeypointModel model = ModelFile.load(modelFile, devices[0])) {
					if (model.objectStage() == null || model.objectStage().description().inputSide() != request.inputSide()) {
						model.setObjectStage(ObjectStage.create(new ObjectStageDescription(request.inputSide(), DEFAULT_THRESHOLD),
							description.channels(), devices[0]));
					}
					final TrainingRun.Result trained = train(stack, heldOut, model.objectStage(), description.normalization(),
						request, devices[0], listener, stoppable, () -> ModelFile.save(model, modelFile));
					if (!trained.canceled() && !heldOut.isEmpty()) {
						stoppable.report("Choosing the object stage's threshold", 0, 1);
						final ThresholdChoice choice = ThresholdChoice.measure(model, new SceneComposer(stack, heldOut,
							description.channels(), request.inputSide(), description.normalization()),
							Math.max(CALIBRATION_SCENES, 2 * heldOut.size()), heldOut.size(), request.seed());
						model.objectStage().description().setThreshold(choice.threshold());
						model.objectStage().description().evaluation().put("threshold", choice.toString());
						ModelFile.save(model, modelFile);
						listener.message("object stage: objects are kept from score " + choice);
					}
					return trained;
				}
			}
			finally {
				TrainingRun.ONE_AT_A_TIME.unlock();
			}
		});
	}

	/**
	 * Trains {@code stage} (a fresh one, or one that has trained some epochs) up to the request's epochs,
	 * calling {@code afterEpoch} after each.
	 */
	static TrainingRun.Result train(final AnnotatedStack stack, final List<Integer> heldOut, final ObjectStage stage,
		final Normalization normalization, final Request request, final Device device, final TrainingListener listener,
		final Progress progress, final Runnable afterEpoch)
	{
		final List<Integer> planes = new ArrayList<>(stack.objectPlanes());
		planes.removeAll(heldOut);
		if (planes.isEmpty()) {
			throw new KeypointException("The stack '" + stack.image().getTitle() + "' has no annotated plane to train the " +
				"object stage on.");
		}
		final ObjectStageDescription description = stage.description();
		final List<EpochRecord> history = description.history();
		if (history.size() >= request.epochs()) {
			throw new KeypointException("object_epochs=" + request.epochs() + ": the object stage has trained " +
				history.size() + " epoch(s) already; give more epochs to continue it.");
		}
		final Map<String, String> settings = description.trainingSettings();
		if (!history.isEmpty()) {
			settings.merge("resumed", "at epoch " + (history.size() + 1) + " (optimiser restarted)",
				(earlier, now) -> earlier + "; " + now);
		}
		settings.put("stack", stack.image().getTitle());
		settings.put("planes", String.valueOf(planes.size()));
		settings.put("epochs", String.valueOf(request.epochs()));
		settings.put("batch_size", String.valueOf(request.batchSize()));
		settings.put("learning_rate", String.valueOf(request.learningRate()));
		settings.put("seed", String.valueOf(request.seed()));
		settings.put("scenes", "one plane at 0.3-1.5x the input, or 2x2 or 3x3 planes at 0.5-1x their cell; mirrored, " +
			"brightness and contrast per plane; black, grey or noisy background");
		settings.put("loss", "CenterNet's: focal loss of the centre map, L1 of the log box sizes at the centres");
		final int batch = Math.min(request.batchSize(), planes.size());
		final ResumableAdam adam = new ResumableAdam(request.learningRate());
		final DefaultTrainingConfig config = new DefaultTrainingConfig(new ObjectLoss()).optOptimizer(adam)
			.optDevices(new Device[] { device });
		listener.message(String.format("training the object stage on '%s': %d planes composed into %dx%d scenes, " +
			"epochs %d-%d, batch %d", stack.image().getTitle(), planes.size(), request.inputSide(), request.inputSide(),
			history.size() + 1, request.epochs(), batch));
		final SceneComposer scenes = new SceneComposer(stack, List.copyOf(planes), stage.channels(), request.inputSide(),
			normalization);
		final List<Integer> indices = java.util.stream.IntStream.range(0, planes.size()).boxed().toList();
		// Small stacks make short epochs: the file is written once a minute at most, and at the end.
		long unsavedSince = 0;
		try (BatchLoader loader = new BatchLoader(scenes, indices, batch, request.seed(), true, loaderThreads());
			Trainer trainer = stage.djlModel().newTrainer(config))
		{
			trainer.initialize(stage.inputShape(1));
			for (int epoch = history.size() + 1; epoch <= request.epochs(); epoch++) {
				final long start = System.nanoTime();
				adam.setLearningRate(cosine(request, epoch));
				double sum = 0;
				int seen = 0, done = 0;
				for (final Iterator<BatchLoader.Batch> it = loader.epoch(epoch); it.hasNext();) {
					if (progress.isCanceled()) {
						if (unsavedSince != 0) afterEpoch.run();
						return new TrainingRun.Result(List.copyOf(history), history.size(), true);
					}
					final BatchLoader.Batch next = it.next();
					final double loss = step(trainer, adam, stage, next);
					if (!Double.isFinite(loss)) {
						throw new KeypointException("The object stage's loss became " + loss + " in epoch " + epoch +
							"; the file keeps the stage of epoch " + history.size() + ". Try a lower learning rate.");
					}
					sum += loss * next.size();
					seen += next.size();
					done++;
					final double elapsed = (System.nanoTime() - start) / 1e9;
					listener.batchDone(epoch, done, loader.batchesPerEpoch(), loss, seen / elapsed,
						elapsed / done * (loader.batchesPerEpoch() * (request.epochs() - epoch + 1) - done));
					progress.report("Object stage, epoch " + epoch + "/" + request.epochs(), done, loader.batchesPerEpoch());
				}
				final EpochRecord record = new EpochRecord(epoch, sum / seen, Double.NaN, Double.NaN,
					(System.nanoTime() - start) / 1e9);
				history.add(record);
				settings.put("best_epoch", String.valueOf(epoch)); // no validation: the last epoch is the stage's
				if (unsavedSince == 0) unsavedSince = start;
				final boolean save = epoch == request.epochs() || System.nanoTime() - unsavedSince > SAVE_EVERY_NANOS;
				if (save) {
					afterEpoch.run();
					unsavedSince = 0;
				}
				listener.epochDone(record, save);
			}
		}
		return new TrainingRun.Result(List.copyOf(history), history.size(), false);
	}

	/** A cosine from the rate asked down to 1 % of it, as a function of the epoch alone (resumed runs go on). */
	private static float cosine(final Request request, final int epoch) {
		if (request.epochs() <= 1) return request.learningRate();
		final double done = (epoch - 1) / (double) (request.epochs() - 1);
		return (float) (request.learningRate() * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * done))));
	}

	private static double step(final Trainer trainer, final ResumableAdam adam, final ObjectStage stage,
		final BatchLoader.Batch batch)
	{
		try (NDManager scope = trainer.getManager().newSubManager()) {
			final NDArray inputs = scope.create(batch.inputs(), stage.inputShape(batch.size()));
			final NDArray targets = scope.create(batch.targets(), new Shape(batch.size(), batch.targets().length / batch.size()));
			final double loss;
			try (GradientCollector collector = trainer.newGradientCollector()) {
				final NDList predictions = trainer.forward(new NDList(inputs), new NDList(targets));
				final NDArray value = trainer.getLoss().evaluate(new NDList(targets), predictions);
				collector.backward(value);
				loss = value.getFloat();
			}
			if (!Double.isFinite(loss)) return loss;
			adam.nextStep();
			adam.updateAll(stage.block());
			return loss;
		}
	}

	private static int loaderThreads() {
		return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}
}
