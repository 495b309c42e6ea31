package io.github.keypointj.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.augment.BatchLoader;
import io.github.keypointj.augment.SampleAugmenter;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.engine.ConvolutionCheck;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.engine.NativeMemory;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.objects.SceneComposer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains a keypoint model on an annotated stack: DJL's Trainer with Adam and the mean squared error
 * of normalised coordinates, batches from the augmentation pipeline, validation after every epoch.
 * The model with the best validation error is written to the output file whenever it improves; a
 * checkpoint with the optimiser's state after every epoch, so a run can be resumed exactly. Cancel
 * stops after the current batch; the output then still holds a valid model.
 */
public final class TrainingRun {

	/** Checkpoint entry with the optimiser's state. */
	static final String OPTIMIZER_ENTRY = "optimizer.bin";

	/** DJL records one network's gradients at a time per process (its gradient collector is a singleton). */
	static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();

	/**
	 * @param history every epoch trained so far (resumed ones included)
	 * @param bestEpoch the epoch whose model is in the output file; 0: the run was stopped before it wrote
	 *   one, and the output is as it was
	 * @param canceled whether the user stopped it
	 */
	public record Result(List<EpochRecord> history, int bestEpoch, boolean canceled) {

		/** Whether the run wrote a model into its output file. */
		public boolean wroteModel() {
			return bestEpoch > 0;
		}
	}

	private TrainingRun() {}

	/**
	 * Train Keypoint Model without any user interface: trains on the annotated planes of {@code image},
	 * telling {@code listener} how many planes without points it skips. Scripts may call it directly.
	 */
	public static Result run(final ImagePlus image, final TrainingRequest request, final TrainingListener listener,
		final Progress progress)
	{
		Images.requireOpen(image);
		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		if (stack.unannotatedPlanes() > 0) listener.message(stack.unannotatedPlanes() + " plane(s) without points skipped.");
		return run(stack, request, listener, progress);
	}

	/** Trains on {@code annotated}; an existing output is replaced only as {@link ModelOutput#requireReplaceable} allows. */
	public static Result run(final AnnotatedStack annotated, final TrainingRequest asked, final TrainingListener listener,
		final Progress progress)
	{
		return run(annotated, asked, listener, progress, ShutdownGuard.JVM);
	}

	/** {@link #run}, stopping after the batch under way when {@code guard} says the JVM is shutting down. */
	static Result run(final AnnotatedStack annotated, final TrainingRequest asked, final TrainingListener listener,
		final Progress progress, final ShutdownGuard guard)
	{
		return guard.run("the training", progress, stoppable -> {
			if (!ONE_AT_A_TIME.tryLock()) {
				throw new KeypointException("Another training is running in this Fiji (Java process): PyTorch's engine " +
					"trains one network at a time here. Start this one when the other has finished, or in a second Fiji.");
			}
			try {
				return train(annotated, asked, listener, stoppable);
			}
			finally {
				// The next training may run on another thread, and glibc arena, than this one: each would keep its own.
				NativeMemory.handBackFreedMemory();
				ONE_AT_A_TIME.unlock();
			}
		});
	}

	private static Result train(final AnnotatedStack annotated, final TrainingRequest asked,
		final TrainingListener listener, final Progress progress)
	{
		ModelOutput.requireReplaceable(asked.output(), asked.overwrite(), asked.resumeFrom());
		asked.requireNoNegatives();
		final AnnotatedStack selected = KeypointSelection.asTrained(annotated, asked.mirrorPairs(), asked.keypoints(),
			listener::message);
		// A network that crops around boxes learns each object in its box, or where a plane has none in the
		// box of its points: the box its object stage learns to find, and Evaluate gives it. Where the points
		// make no box (one keypoint, or most within a few pixels) it learns whole planes, one object each.
		final boolean wholePlanes = asked.architecture().cropBoxScale() > 0 && (asked.resumeFrom() == null
			? !selected.hasBoxes() && selected.typicalPointBox() == null
			: !ModelFile.readDescription(asked.resumeFrom()).crop().fromBox());
		final AnnotatedStack stack = asked.architecture().cropBoxScale() > 0 && !wholePlanes ? selected.withObjectBoxes()
			: selected;
		if (wholePlanes) {
			listener.message("The points of '" + stack.image().getTitle() + "' make no box to crop around (most are fewer than " +
				AnnotatedStack.MIN_BOX_PIXELS + " pixels across, and no plane has a rectangle), so " + asked.architecture().label() +
				" learns whole planes, one object each" + (asked.objectStage() ? ", and gets no object stage" : "") + ".");
		}
		final ValidationSplit.Split split = ValidationSplit.split(stack, asked.validation(), asked.seed());
		final TrainingRequest request = asked.withDefaults(split.training().size()).withObjectStage(asked.objectStage() &&
			!wholePlanes);
		check(request, split);
		Images.requireFinitePixels(stack.image(), stack.objectPlanes(), "train");
		final Device[] devices = KeypointEngine.devices(request.device());
		if (devices[0].equals(Device.cpu())) Architecture.verifyTraining();
		try (KeypointModel model = startingModel(stack, split, request, devices[0], wholePlanes,
				passesPerEpoch(asked, split.training().size(), request.batchSize()));
			BatchLoader training = new BatchLoader(stack, split.training(), passesPerEpoch(model.description()),
				model.description(),
				request.augment() ? request.architecture().augmentation() : Augmentation.NONE,
				request.batchSize(), request.seed(), true, loaderThreads());
			BatchLoader validation = split.validation().isEmpty() ? null : new BatchLoader(stack, split.validation(),
				model.description(), Augmentation.NONE, 16, request.seed(), false, loaderThreads()))
		{
			final int trained = model.description().history().size();
			// A run stopped in its object stage is resumed into the same file: the stage goes on from there.
			final boolean stageToFinish = wantsObjectStage(request) && ModelOutput.continuesInto(request.resumeFrom(),
				request.output()) && Files.exists(request.output());
			if (request.resumeFrom() != null && trained >= request.epochs() && !stageToFinish) {
				throw new KeypointException("epochs=" + request.epochs() + ": " + request.resumeFrom().getFileName() +
					" has trained " + trained + " epoch(s) already; give more epochs to continue it. Nothing was written.");
			}
			final ResumableAdam adam = new ResumableAdam(request.learningRate());
			if (request.resumeFrom() != null) restoreOptimizer(request, model, adam);
			final DefaultTrainingConfig config = new DefaultTrainingConfig(loss(request.architecture(), request.loss()))
				.optOptimizer(adam).optDevices(devices);
			final List<EpochRecord> history = model.description().history();
			int bestEpoch = bestEpoch(history);
			boolean outputHoldsThisRun = ModelOutput.continuesInto(request.resumeFrom(), request.output()) &&
				Files.exists(request.output());
			final int firstEpoch = history.size() + 1;
			if (request.resumeFrom() != null) {
				// The settings say what the model was trained for: a resumed run may ask for more epochs.
				final Map<String, String> settings = model.description().trainingSettings();
				// Every segment of a run trained in several (sessions, machines) is recorded, with when and where.
				final boolean moreEpochs = !String.valueOf(request.epochs()).equals(settings.get("epochs"));
				settings.merge("resumed", "at epoch " + firstEpoch + (moreEpochs ? " with epochs=" + request.epochs() +
					" (was " + settings.get("epochs") + ")" : "") + " on " + java.time.LocalDate.now() + " (" +
					devices[0] + ")", (earlier, now) -> earlier + "; " + now);
				settings.put("epochs", String.valueOf(request.epochs()));
			}
			listener.message(describe(request, model.description(), stack, split, firstEpoch, devices));
			final String scale = ObjectScale.describe(stack, split.training(), model.description());
			if (scale != null) listener.message(scale);
			final String scaling = PlaneReader.scalingNote(stack.image());
			if (scaling != null) listener.message(scaling);
			final long hidden = stack.objects().stream().mapToLong(object -> object.count() - object.labelledCount()).sum();
			if (hidden > 0) {
				listener.message(hidden + " point(s) are not visible on their planes (no coordinates): the losses leave " +
					"them out there.");
			}
			if (request.learningRate() > NonFiniteLoss.RUNAWAY_RATE) {
				listener.message("learning_rate=" + request.learningRate() + " is far above Adam's usual 0.0001 to 0.01: " +
					"expect the loss to grow instead of falling.");
			}
			boolean warnedOfDivergence = false;
			boolean canceled = false;
			final LossWatch losses = new LossWatch();
			try (Trainer trainer = model.djlModel().newTrainer(config)) {
				trainer.initialize(model.inputShape(1));
				for (int epoch = firstEpoch; epoch <= request.epochs(); epoch++) {
					final long start = System.nanoTime();
					adam.setLearningRate(learningRate(request, epoch));
					final double trainLoss = trainEpoch(trainer, adam, model, training, epoch, request, listener, progress,
						losses);
					if (Double.isNaN(trainLoss) && progress.isCanceled()) {
						canceled = true;
						break;
					}
					if (!Double.isFinite(trainLoss)) {
						throw new KeypointException(NonFiniteLoss.explain(new NonFiniteLoss.Facts(trainLoss, epoch,
							losses.failedBatch, losses.previous, losses.lowest, losses.failedInputsFinite,
							largestWeight(model), convolutionCheck(model, devices), request.learningRate(), outputHoldsThisRun
								? request.output() + " still holds the model of epoch " + bestEpoch + "." : "No model was written.")));
					}
					final double[] measured = validation == null ? new double[] { Double.NaN, Double.NaN }
						: Metrics.lossAndError(model, validation);
					final EpochRecord record = new EpochRecord(epoch, trainLoss, measured[0], measured[1],
						(System.nanoTime() - start) / 1e9);
					history.add(record);
					if (validation != null && !Double.isFinite(record.validationErrorPx())) {
						listener.message("epoch " + epoch + ": the validation error is " + record.validationErrorPx() +
							" (the network's outputs are not finite), so this epoch cannot be the best one.");
					}
					final String divergence = NonFiniteLoss.divergence(trainLoss, history.stream()
						.mapToDouble(EpochRecord::trainLoss).min().orElse(trainLoss), epoch, request.learningRate());
					if (divergence != null && !warnedOfDivergence) {
						listener.message(divergence);
						warnedOfDivergence = true;
					}
							// The output may be another file than the resumed run's: it gets this run's model first.
					final boolean best = !outputHoldsThisRun || improves(record, bestEpoch == 0 ? null : history.get(bestEpoch - 1));
					if (best) {
						bestEpoch = epoch;
						outputHoldsThisRun = true;
					}
					model.description().trainingSettings().put("best_epoch", String.valueOf(bestEpoch));
					if (best) ModelFile.save(model, request.output());
					else ModelFile.rewriteDescription(request.output(), model.description()); // the whole history, best weights
					ModelFile.save(model, ModelOutput.checkpointOf(request.output()),
						Map.of(OPTIMIZER_ENTRY, optimizerState(adam, model)));
					listener.epochDone(record, best);
					if (progress.isCanceled()) {
						canceled = true;
						break;
					}
				}
			}
			// Stopped (Stop, Esc, SIGTERM) before this run finished an epoch: nothing it has is worth a model
			// file, so it writes none, and a model the output held stays as it was (issue 26).
			if (!outputHoldsThisRun) return new Result(List.copyOf(history), 0, canceled);
			if (!canceled && wantsObjectStage(request)) {
				final int planes = stack.objectPlanes().size() - split.validation().size();
				final ObjectStageTraining.Request stage = ObjectStageTraining.Request.of(request.objectEpochs() > 0
					? request.objectEpochs() : TrainingRequest.defaultObjectEpochs(planes), request.seed(), request.device());
				final List<Integer> heldOut = new ArrayList<>();
				for (final int index : split.validation()) {
					final int plane = stack.objects().get(index).plane().stackIndex();
					if (!heldOut.contains(plane)) heldOut.add(plane);
				}
				canceled = ObjectStageTraining.addTo(request.output(), stack, heldOut, stage, listener, progress).canceled();
			}
			return new Result(List.copyOf(history), bestEpoch, canceled);
		}
	}

	/**
	 * Optimiser steps an epoch makes at least when the epochs are left at the architecture's. A stack of
	 * 46 frames gave 2, and its epochs were mostly validation and writing files. The recipes' data sets
	 * (192 IMM faces at batch 1, 1,675 300-W faces at 32) give 50 to 200 and are not changed by it. At 50,
	 * HeatmapNet's 80 epochs made 4,000 steps of a 58-frame mouse video, about 2.5 hours on 2 cores, where
	 * 800 steps had already placed the points better than DeepLabCut (docs/RESULTS.md); at 10 an epoch of
	 * so few frames is still four-fifths training.
	 */
	static final int MIN_STEPS_PER_EPOCH = 10;
	/** The training setting that says how often an epoch shows each training plane. */
	static final String PASSES_PER_EPOCH = "passes_per_epoch";
	/** The training setting that names the {@link CoordinateLoss}: absent in files from before the choice (L1). */
	static final String LOSS = "loss";
	/** The training setting of a labelling's offset from mirror symmetry; absent: none. */
	static final String MIRROR_OFFSET = "mirror_offset";

	/**
	 * For a new run: epochs left at the recipe's (0, or the recipe's number, which Train's dialog shows) are
	 * scaled to the data (steps, not passes); other numbers are single passes.
	 */
	static int passesPerEpoch(final TrainingRequest asked, final int trainingPlanes, final int batchSize) {
		final boolean recipes = asked.epochs() == 0 || asked.epochs() == asked.architecture().defaultEpochs();
		if (!recipes || asked.resumeFrom() != null) return 1;
		return Math.max(1, (MIN_STEPS_PER_EPOCH * batchSize + trainingPlanes - 1) / trainingPlanes);
	}

	/** As the model was trained: files from before the setting showed each plane once an epoch. */
	private static int passesPerEpoch(final ModelDescription description) {
		return Integer.parseInt(description.trainingSettings().getOrDefault(PASSES_PER_EPOCH, "1"));
	}

	/** Whether the run ends with an object stage: asked for, and the architecture crops around boxes. */
	static boolean wantsObjectStage(final TrainingRequest request) {
		return request.objectStage() && request.architecture().cropBoxScale() > 0;
	}

	/**
	 * The report's mean squared error of normalised coordinates, or the heatmap network's loss; both leave
	 * missing keypoints out.
	 */
	public static Loss loss(final Architecture architecture, final CoordinateLoss distances) {
		return architecture.heatmaps() ? new HeatmapLoss(distances) : new MaskedL2Loss();
	}

	/**
	 * The rate of an epoch: the report's constant rate, or for heatmap networks a cosine from the rate
	 * asked down to 1 % of it at the last epoch (a function of the epoch alone, so a resumed run
	 * continues the same schedule).
	 */
	static float learningRate(final TrainingRequest request, final int epoch) {
		if (!request.architecture().heatmaps() || request.epochs() <= 1) return request.learningRate();
		final double done = (epoch - 1) / (double) (request.epochs() - 1);
		return (float) (request.learningRate() * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * done))));
	}

	/**
	 * Whether {@code candidate} is a better model than {@code best} (null: none yet): by the validation
	 * error where both have one, else by the training loss, and a validated epoch beats one whose
	 * validation is not a number. An error in pixels is never compared with a loss.
	 */
	static boolean improves(final EpochRecord candidate, final EpochRecord best) {
		if (best == null) return true;
		final boolean validated = Double.isFinite(candidate.validationErrorPx());
		final boolean bestValidated = Double.isFinite(best.validationErrorPx());
		if (validated && bestValidated) return candidate.validationErrorPx() < best.validationErrorPx();
		if (validated != bestValidated) return validated;
		return candidate.trainLoss() < best.trainLoss();
	}

	private static int bestEpoch(final List<EpochRecord> history) {
		EpochRecord best = null;
		for (final EpochRecord record : history) {
			if (improves(record, best)) best = record;
		}
		return best == null ? 0 : best.epoch();
	}

	private static void check(final TrainingRequest request, final ValidationSplit.Split split) {
		final String sizeProblem = request.architecture().inputSizeProblem(request.inputWidth(), request.inputHeight());
		if (sizeProblem != null) throw new KeypointException("input_width, input_height: " + sizeProblem + ".");
		if (request.batchSize() > split.training().size()) {
			throw new KeypointException("batch_size=" + request.batchSize() + " is larger than the training set (" +
				split.training().size() + " planes).");
		}
		if (!(request.learningRate() > 0) || Float.isInfinite(request.learningRate())) {
			throw new KeypointException("learning_rate=" + request.learningRate() + " is not a positive number.");
		}
		if (request.epochs() < 1) throw new KeypointException("epochs: must be at least 1.");
		if (request.loss() != CoordinateLoss.L1 && !request.architecture().heatmaps()) {
			throw new KeypointException("loss=" + request.loss().label() + " is for the heatmap architectures; " +
				request.architecture().label() + " learns with the report's mean squared error: leave loss at " +
				CoordinateLoss.L1.label() + ".");
		}
		if (!(Math.abs(request.mirrorOffset()) <= TrainingRequest.MAX_MIRROR_OFFSET)) {
			throw new KeypointException("mirror_offset=" + request.mirrorOffset() + " is not a labelling's offset from mirror " +
				"symmetry (a fraction of the box, at most " + TrainingRequest.MAX_MIRROR_OFFSET + " either way; 300-W's is " +
				"about 0.005); give 0 when unsure.");
		}
		if (request.startFrom() != null && request.resumeFrom() != null) {
			throw new KeypointException("start_from and resume_from: give one of them. resume_from continues a run where " +
				"it stopped; start_from begins a new run from another model's weights.");
		}
	}

	/** A fresh model, or the checkpoint's when resuming (which must fit the request). */
	private static KeypointModel startingModel(final AnnotatedStack stack, final ValidationSplit.Split split,
		final TrainingRequest request, final Device device, final boolean wholePlanes, final int passes)
	{
		if (request.resumeFrom() != null) {
			final KeypointModel model = ModelFile.load(request.resumeFrom(), device);
			final ModelDescription d = model.description();
			if (d.architecture() != request.architecture() || d.inputWidth() != request.inputWidth() ||
				d.inputHeight() != request.inputHeight() || d.keypointCount() != stack.keypointCount())
			{
				model.close();
				throw new KeypointException("resume_from: " + request.resumeFrom() + " is a " + d.architecture().label() + " " +
					d.inputWidth() + "x" + d.inputHeight() + " with " + d.keypointCount() + " keypoints; this run asks for a " +
					request.architecture().label() + " " + request.inputWidth() + "x" + request.inputHeight() + " with " +
					stack.keypointCount() + ".");
			}
			final String trainedWith = d.trainingSettings().getOrDefault(LOSS, CoordinateLoss.L1.label());
			if (!trainedWith.equals(request.loss().label())) {
				model.close();
				throw new KeypointException("resume_from: " + request.resumeFrom() + " was trained with loss=" + trainedWith +
					"; a resumed run goes on with it: give loss=" + trainedWith + ".");
			}
			if (d.mirrorOffset() != request.mirrorOffset()) {
				model.close();
				throw new KeypointException("resume_from: " + request.resumeFrom() + " was trained with mirror_offset=" +
					d.mirrorOffset() + "; a resumed run goes on with it: give mirror_offset=" + d.mirrorOffset() + ".");
			}
			return model;
		}
		KeypointEngine.get().setRandomSeed((int) request.seed());
		final String name = request.output().getFileName().toString().replaceFirst("(?i)\\.zip$", "");
		final ModelDescription description = ModelDescription.of(name, request.architecture(), request.inputWidth(),
			request.inputHeight(), stack.keypointNames());
		description.setMirror(stack.mirror());
		if (wholePlanes) description.setCrop(CropRecipe.wholeRegion());
		description.setMirrorOffset(request.mirrorOffset());
		final Map<String, String> settings = description.trainingSettings();
		settings.put("stack", stack.image().getTitle());
		settings.put("keypoints", request.keypoints());
		settings.put("mirror_pairs", stack.mirror() == null ? "none" : stack.mirror().pairs());
		settings.put("validation", request.validation());
		settings.put("epochs", String.valueOf(request.epochs()));
		settings.put("batch_size", String.valueOf(request.batchSize()));
		settings.put(PASSES_PER_EPOCH, String.valueOf(passes));
		settings.put("learning_rate", String.valueOf(request.learningRate()));
		settings.put("augment", String.valueOf(request.augment()));
		settings.put("seed", String.valueOf(request.seed()));
		settings.put(LOSS, request.loss().label());
		if (request.mirrorOffset() != 0) settings.put(MIRROR_OFFSET, String.valueOf(request.mirrorOffset()));
		settings.put("optimizer", request.architecture().heatmaps()
			? "Adam (0.9, 0.999, 1e-8), learning rate cosine to 1 %; loss: " + (request.loss() == CoordinateLoss.WING
				? "Wing (w " + CoordinateLoss.WING_WIDTH + ", epsilon " + CoordinateLoss.WING_CURVATURE + ")" : "L1") +
				" of the expected positions in heatmap " +
				"cells + cross-entropy against Gaussians of " + HeatmapLoss.SIGMA_CELLS + " cell; points not visible left out"
			: "Adam (0.9, 0.999, 1e-8), loss: mean squared error of normalised coordinates; points not visible left out");
		final List<io.github.keypointj.data.PlaneKeypoints> trainingObjects = new ArrayList<>();
		for (final int index : split.training()) trainingObjects.add(stack.objects().get(index));
		description.setMeanShape(new SampleAugmenter(description, Augmentation.NONE).meanShape(trainingObjects));
		final KeypointModel model = KeypointModel.create(description, device);
		if (request.startFrom() != null) {
			try {
				final ModelDescription source = ModelFile.readWeightsInto(request.startFrom(), model, "start_from");
				settings.put("started_from", request.startFrom().getFileName() + " (" + source.inputWidth() + "x" +
					source.inputHeight() + ", " + source.history().size() + " epochs)");
			}
			catch (final KeypointException e) {
				model.close();
				throw e;
			}
		}
		return model;
	}

	private static void restoreOptimizer(final TrainingRequest request, final KeypointModel model, final ResumableAdam adam) {
		final byte[] state = ModelFile.readEntry(request.resumeFrom(), OPTIMIZER_ENTRY);
		if (state == null) {
			throw new KeypointException("resume_from: " + request.resumeFrom() + " has no optimiser state; resume from the " +
				"checkpoint written next to the model (" + ModelOutput.checkpointOf(request.output()).getFileName() + ").");
		}
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
			adam.restore(parameterIds(model), model.djlModel().getNDManager(), in);
		}
		catch (final IOException e) {
			throw new KeypointException("resume_from: the optimiser state in " + request.resumeFrom() + " is damaged (" +
				e.getMessage() + ").", e);
		}
	}

	private static byte[] optimizerState(final ResumableAdam adam, final KeypointModel model) {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			adam.save(parameterIds(model), out);
		}
		catch (final IOException e) {
			throw new IllegalStateException(e); // in memory
		}
		return bytes.toByteArray();
	}

	private static List<String> parameterIds(final KeypointModel model) {
		final List<String> ids = new ArrayList<>();
		for (final Pair<String, Parameter> parameter : model.block().getParameters()) ids.add(parameter.getValue().getId());
		return ids;
	}

	/** The losses of a run's steps so far: what tells a diverging run from a fault of the engine. */
	private static final class LossWatch {

		double previous = Double.NaN;
		double lowest = Double.NaN;
		int failedBatch;
		boolean failedInputsFinite = true;

		/** @return whether {@code loss} is finite; if not, notes the batch and whether its inputs were */
		boolean add(final double loss, final int batch, final float[] inputs) {
			if (Double.isFinite(loss)) {
				previous = loss;
				if (!(loss >= lowest)) lowest = loss;
				return true;
			}
			failedBatch = batch;
			for (final float value : inputs) {
				if (!Float.isFinite(value)) failedInputsFinite = false;
			}
			return false;
		}
	}

	/** The largest absolute weight of the network; NaN or infinite if one is. */
	private static double largestWeight(final KeypointModel model) {
		double largest = 0;
		for (final Pair<String, Parameter> parameter : model.block().getParameters()) {
			try (NDArray absolute = parameter.getValue().getArray().abs(); NDArray max = absolute.max()) {
				final float value = max.getFloat();
				if (Float.isNaN(value)) return value;
				largest = Math.max(largest, value);
			}
		}
		return largest;
	}

	/** The convolution check for the model's own layer shapes, when its loss stopped being finite (CPU only). */
	private static ConvolutionCheck.Result convolutionCheck(final KeypointModel model, final Device[] devices) {
		if (!devices[0].equals(Device.cpu())) return null;
		final ModelDescription description = model.description();
		return ConvolutionCheck.run(description.architecture().convolutionShapes(description.channels(),
			description.inputHeight(), description.inputWidth(), description.keypointCount()), List.of(), Convolutions::forward);
	}

	/** One epoch; the mean training loss, or NaN when cancelled before any batch finished the epoch. */
	private static double trainEpoch(final Trainer trainer, final ResumableAdam adam, final KeypointModel model,
		final BatchLoader loader, final int epoch, final TrainingRequest request, final TrainingListener listener,
		final Progress progress, final LossWatch losses)
	{
		final int batches = loader.batchesPerEpoch();
		final long start = System.nanoTime();
		double lossSum = 0;
		int seen = 0;
		int batchIndex = 0;
		for (final Iterator<BatchLoader.Batch> it = loader.epoch(epoch); it.hasNext();) {
			if (progress.isCanceled()) return Double.NaN;
			final BatchLoader.Batch batch = it.next();
			final double loss = step(trainer, adam, model, batch);
			lossSum += loss * batch.size();
			seen += batch.size();
			batchIndex++;
			final double elapsed = (System.nanoTime() - start) / 1e9;
			final double perBatch = elapsed / batchIndex;
			final double left = perBatch * (batches - batchIndex) + perBatch * batches * (request.epochs() - epoch);
			listener.batchDone(epoch, batchIndex, batches, loss, seen / elapsed, left);
			progress.report("Epoch " + epoch + "/" + request.epochs(), (epoch - 1) * batches + batchIndex,
				request.epochs() * batches);
			if (!losses.add(loss, batchIndex, batch.inputs())) return loss;
		}
		return lossSum / seen;
	}

	/** One optimiser step on a batch, split across the trainer's devices; the batch's mean loss. */
	private static double step(final Trainer trainer, final ResumableAdam adam, final KeypointModel model,
		final BatchLoader.Batch batch)
	{
		final int outputs = batch.targets().length / batch.size();
		try (NDManager scope = trainer.getManager().newSubManager()) {
			final NDArray inputs = scope.create(batch.inputs(), model.inputShape(batch.size()));
			final NDArray targets = scope.create(batch.targets(), new Shape(batch.size(), outputs));
			final Batch whole = new Batch(scope, new NDList(inputs), new NDList(targets), batch.size(), Batchifier.STACK,
				Batchifier.STACK, 0, 0);
			double loss = 0;
			try (GradientCollector collector = trainer.newGradientCollector()) {
				for (final Batch split : whole.split(trainer.getDevices(), false)) {
					final NDList predictions = trainer.forward(split.getData(), split.getLabels());
					final NDArray value = trainer.getLoss().evaluate(split.getLabels(), predictions);
					collector.backward(value);
					loss += value.getFloat() * split.getSize() / batch.size();
				}
			}
			if (!Double.isFinite(loss)) return loss; // the run stops here: weights stay as they were, for the diagnosis
			adam.nextStep();
			if (trainer.getDevices().length == 1) adam.updateAll(model.block());
			else trainer.step(); // sums the devices' gradients first
			return loss;
		}
	}

	private static int loaderThreads() {
		return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

	private static String describe(final TrainingRequest request, final ModelDescription description,
		final AnnotatedStack stack, final ValidationSplit.Split split, final int firstEpoch, final Device[] devices)
	{
		final int passes = passesPerEpoch(description);
		return String.format("training %s %dx%d on '%s': %d keypoints, %d training and %d validation planes, " +
			"epochs %d-%d%s, batch %d, learning rate %s%s, augmentation %s, seed %d, on %s%s",
			request.architecture().label(), request.inputWidth(), request.inputHeight(), stack.image().getTitle(),
			stack.keypointCount(), split.training().size(), split.validation().size(), firstEpoch, request.epochs(),
			passes > 1 ? " (each showing every training plane " + passes + " times: " + (split.training().size() * passes +
				request.batchSize() - 1) / request.batchSize() + " steps, so that an epoch is mostly training)" : "",
			request.batchSize(), request.learningRate(), request.architecture().heatmaps() ? ", loss " +
				request.loss().label() : "", (!request.augment() ? "off" : request.architecture().augmentation()
				.flipProbability() == 0 ? "on" : stack.mirror() == null ? "on (never mirrored: " + (KeypointSelection.mirroringOff(
				request.mirrorPairs()) ? "mirror_pairs=none" : "no mirror pairs") + ")"
				: "on (mirrored with " + (stack.mirror().pairs().isEmpty() ? "every point on the axis" : "pairs " +
					stack.mirror().pairs()) + ")") + (request.mirrorOffset() != 0 ? ", the annotations " + request.mirrorOffset() +
					" of a box right of mirror symmetry" : ""), request.seed(),
			java.util.Arrays.toString(devices), request.resumeFrom() != null ? " (resumed from " +
				request.resumeFrom().getFileName() + ")" : request.startFrom() != null ? " (starting from the weights of " +
				request.startFrom().getFileName() + ")" : "");
	}
}
