package io.github.keypointj.train;

import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;

/**
 * What the user asks of a training run. Zero for input size, epochs or batch size means the
 * architecture's default from the report (see {@link #withDefaults}).
 *
 * @param keypoints {@code all} or indices and ranges ({@link KeypointSelection})
 * @param validation {@code none}, a fraction, {@code slices A-B} or {@code labels A-B} ({@link ValidationSplit})
 * @param output the model file: the best model so far is written there
 * @param resumeFrom a checkpoint to continue from, or null
 */
public record TrainingRequest(Architecture architecture, int inputWidth, int inputHeight, int epochs, int batchSize,
	float learningRate, boolean augment, String keypoints, String validation, long seed, DeviceChoice device,
	Path output, Path resumeFrom)
{

	/** Refuses, naming the key and the value, what no default stands for: negative sizes, epochs or batches. */
	public void requireNoNegatives() {
		final String[] keys = { "input_width", "input_height", "epochs", "batch_size" };
		final int[] values = { inputWidth, inputHeight, epochs, batchSize };
		for (int i = 0; i < keys.length; i++) {
			if (values[i] < 0) {
				throw new KeypointException(keys[i] + "=" + values[i] + " is negative; give a positive number, or 0 for " +
					"the architecture's default from the report.");
			}
		}
	}

	/** Zeros replaced by the architecture's defaults (the report's, for its three networks). */
	public TrainingRequest withDefaults() {
		final int defaultEpochs = architecture.defaultEpochs();
		final int defaultBatch = architecture.defaultBatch();
		return new TrainingRequest(architecture, inputWidth > 0 ? inputWidth : architecture.defaultWidth(),
			inputHeight > 0 ? inputHeight : architecture.defaultHeight(), epochs > 0 ? epochs : defaultEpochs,
			batchSize > 0 ? batchSize : defaultBatch, learningRate, augment, keypoints, validation, seed, device, output,
			resumeFrom);
	}

	/** The checkpoint written after every epoch, next to the model file: {@code name.checkpoint.zip}. */
	public static Path checkpointOf(final Path output) {
		final String name = output.getFileName().toString();
		final String base = name.toLowerCase().endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
		return output.resolveSibling(base + ".checkpoint.zip");
	}

	/**
	 * Whether resuming from {@code resumeFrom} continues the run whose model is {@code output} (its
	 * checkpoint, or the model itself): then the output holds that run's best model, and may be replaced
	 * without overwrite=true. Any other existing output is another model.
	 */
	public static boolean continuesInto(final Path resumeFrom, final Path output) {
		if (resumeFrom == null) return false;
		final Path from = resumeFrom.toAbsolutePath().normalize();
		final Path model = output.toAbsolutePath().normalize();
		return from.equals(model) || from.equals(checkpointOf(model));
	}
}
