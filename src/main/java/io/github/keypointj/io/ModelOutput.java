package io.github.keypointj.io;

import io.github.keypointj.KeypointException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule for the model file a training writes, beside {@link OutputFile}'s for tables: an existing
 * file is replaced only with {@code overwrite=true}, or when the run resumed from is the one that wrote
 * it (then it holds that run's best model, which the resumed run carries on). Its checkpoint lies next to it.
 */
public final class ModelOutput {

	private ModelOutput() {}

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

	/**
	 * Refuses a missing output, an existing one that neither {@code overwrite} nor the run resumed from
	 * allows to be replaced, and one that cannot be written (no such folder, no permission). Call before
	 * any training.
	 *
	 * @param resumeFrom the checkpoint the run resumes from, or null
	 */
	public static void requireReplaceable(final Path output, final boolean overwrite, final Path resumeFrom) {
		if (output == null) throw new KeypointException("output: no model file given.");
		if (Files.exists(output) && !overwrite && !continuesInto(resumeFrom, output)) {
			throw new KeypointException(output + " exists; choose another model file or set overwrite=true" +
				(resumeFrom != null ? " (it is not the model of the run resumed from " + resumeFrom.getFileName() + ")" : "") +
				".");
		}
		// before the first epoch, not after it
		OutputFile.requireWritablePlace(output, "output");
	}
}
