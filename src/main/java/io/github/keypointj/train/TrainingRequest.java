package io.github.keypointj.train;

import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.ModelOutput;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;

/**
 * What the user asks of a training run. Zero for input size, epochs or batch size means the
 * architecture's default from the report (see {@link #withDefaults}).
 *
 * @param keypoints {@code all} or indices and ranges ({@link KeypointSelection})
 * @param validation {@code none}, a fraction, {@code slices A-B} or {@code labels A-B} ({@link ValidationSplit})
 * @param output the model file: the best model so far is written there
 * @param overwrite whether {@code output} may replace an existing file ({@link ModelOutput#requireReplaceable})
 * @param resumeFrom a checkpoint to continue from, or null
 * @param mirrorPairs the keypoint set's mirror pairs ({@link io.github.keypointj.data.MirrorOrder#parsePairs}),
 *   empty for the order the annotations declare (if they declare none: never mirrored), or
 *   {@value KeypointSelection#NO_MIRROR}: never mirrored
 * @param objectStage whether the model also gets an object stage, trained after the keypoint network, to
 *   find the objects on whole planes ({@link ObjectStageTraining}); only for architectures that crop
 *   around boxes
 * @param objectEpochs the object stage's epochs; 0: {@link #defaultObjectEpochs} for the stack
 * @param startFrom a trained model whose weights this run starts from instead of random ones (fine-tuning:
 *   same architecture and keypoints, any input size; a fresh optimiser and schedule), or null
 * @param loss what the heatmap architectures' loss charges for a distance ({@link HeatmapLoss}), null for
 *   {@link CoordinateLoss#L1}; the other architectures learn with the report's mean squared error and take L1
 *   only; a resumed run takes its checkpoint's
 * @param mirrorOffset how far right of the mirror-symmetric place the annotations put every point, as a
 *   fraction of the object's box side ({@link io.github.keypointj.model.ModelDescription#mirrorOffset});
 *   mirrored samples keep it; 0: none
 */
public record TrainingRequest(Architecture architecture, int inputWidth, int inputHeight, int epochs, int batchSize,
	float learningRate, boolean augment, String keypoints, String validation, long seed, DeviceChoice device,
	Path output, boolean overwrite, Path resumeFrom, String mirrorPairs, boolean objectStage, int objectEpochs,
	Path startFrom, CoordinateLoss loss, double mirrorOffset)
{

	/** Offsets beyond this fraction of a box are not a labelling's bias but a mistake. */
	public static final double MAX_MIRROR_OFFSET = 0.05;

	/** A script's null loss is the default one. */
	public TrainingRequest {
		if (loss == null) loss = CoordinateLoss.L1;
	}

	/** A request whose annotations are mirror-symmetric (no {@code mirrorOffset}). */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final boolean overwrite,
		final Path resumeFrom, final String mirrorPairs, final boolean objectStage, final int objectEpochs,
		final Path startFrom, final CoordinateLoss loss)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, overwrite, resumeFrom, mirrorPairs, objectStage, objectEpochs, startFrom, loss, 0);
	}

	/** A request whose heatmap architectures learn with {@link CoordinateLoss#L1}. */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final boolean overwrite,
		final Path resumeFrom, final String mirrorPairs, final boolean objectStage, final int objectEpochs,
		final Path startFrom)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, overwrite, resumeFrom, mirrorPairs, objectStage, objectEpochs, startFrom, CoordinateLoss.L1);
	}

	/** A request that starts from random weights. */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final boolean overwrite,
		final Path resumeFrom, final String mirrorPairs, final boolean objectStage, final int objectEpochs)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, overwrite, resumeFrom, mirrorPairs, objectStage, objectEpochs, null);
	}

	/** A request without an object stage. */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final boolean overwrite,
		final Path resumeFrom, final String mirrorPairs)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, overwrite, resumeFrom, mirrorPairs, false, 0);
	}

	/**
	 * Scenes the object stage sees at least: its default epochs show a small stack's planes more often
	 * (12,000 scenes: 14 minutes on 2 cores), a large one's at least {@value #MIN_OBJECT_EPOCHS} times.
	 */
	static final int MIN_OBJECT_SCENES = 12_000;
	static final int MIN_OBJECT_EPOCHS = 20;

	/** The object stage's epochs for a stack of {@code annotatedPlanes}, when the request leaves them at 0. */
	public static int defaultObjectEpochs(final int annotatedPlanes) {
		return Math.max(MIN_OBJECT_EPOCHS, (MIN_OBJECT_SCENES + annotatedPlanes - 1) / Math.max(1, annotatedPlanes));
	}

	/** A request that takes the mirror order the annotations declare. */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final boolean overwrite,
		final Path resumeFrom)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, overwrite, resumeFrom, "");
	}

	/** A request that replaces no other model: an existing output only when resuming the run that wrote it. */
	public TrainingRequest(final Architecture architecture, final int inputWidth, final int inputHeight, final int epochs,
		final int batchSize, final float learningRate, final boolean augment, final String keypoints,
		final String validation, final long seed, final DeviceChoice device, final Path output, final Path resumeFrom)
	{
		this(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment, keypoints, validation, seed,
			device, output, false, resumeFrom);
	}

	/** Refuses, naming the key and the value, what no default stands for: negative sizes, epochs or batches. */
	public void requireNoNegatives() {
		final String[] keys = { "input_width", "input_height", "epochs", "batch_size", "object_epochs" };
		final int[] values = { inputWidth, inputHeight, epochs, batchSize, objectEpochs };
		for (int i = 0; i < keys.length; i++) {
			if (values[i] < 0) {
				throw new KeypointException(keys[i] + "=" + values[i] + " is negative; give a positive number, or 0 for " +
					"the architecture's default from the report.");
			}
		}
	}

	/** This request with or without an object stage. */
	public TrainingRequest withObjectStage(final boolean stage) {
		return new TrainingRequest(architecture, inputWidth, inputHeight, epochs, batchSize, learningRate, augment,
			keypoints, validation, seed, device, output, overwrite, resumeFrom, mirrorPairs, stage, objectEpochs, startFrom,
			loss, mirrorOffset);
	}

	/**
	 * Zeros replaced by the architecture's defaults (the report's, for its three networks); the batch at most
	 * the {@code trainingPlanes}, for stacks smaller than the recipes' data sets.
	 */
	public TrainingRequest withDefaults(final int trainingPlanes) {
		final int defaultEpochs = architecture.defaultEpochs();
		final int defaultBatch = Math.max(1, Math.min(architecture.defaultBatch(), trainingPlanes));
		return new TrainingRequest(architecture, inputWidth > 0 ? inputWidth : architecture.defaultWidth(),
			inputHeight > 0 ? inputHeight : architecture.defaultHeight(), epochs > 0 ? epochs : defaultEpochs,
			batchSize > 0 ? batchSize : defaultBatch, learningRate, augment, keypoints, validation, seed, device, output,
			overwrite, resumeFrom, mirrorPairs, objectStage, objectEpochs, startFrom, loss, mirrorOffset);
	}
}
