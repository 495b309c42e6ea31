package io.github.keypointj.io;

import ij.measure.ResultsTable;
import io.github.keypointj.AtomicFiles;
import io.github.keypointj.KeypointException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one rule for files a command writes besides models (tables, CSV): an existing file is replaced
 * only with {@code overwrite=true}, everything is checked before any work is done or anything changes,
 * and the file is written whole or not at all.
 */
public final class OutputFile {

	private OutputFile() {}

	/** The path of an optional file parameter; null when none is given (a macro's {@code key=[]}). */
	public static Path given(final File file) {
		return file == null || file.getPath().isEmpty() ? null : file.toPath();
	}

	/**
	 * Refuses, naming the key, a file that exists without {@code overwrite}, or whose folder is missing or
	 * not writable. Call before the work that produces its content.
	 *
	 * @param key the parameter that names the file, e.g. "csv_file"
	 */
	public static void requireWritable(final Path file, final boolean overwrite, final String key) {
		if (Files.isDirectory(file)) throw new KeypointException(key + ": " + file + " is a folder, not a file.");
		if (Files.exists(file) && !overwrite) {
			throw new KeypointException(key + ": " + file + " exists; choose another file or set overwrite=true.");
		}
		requireWritablePlace(file, key);
	}

	/**
	 * Refuses, naming {@code key}, a file that cannot be written where it is to go: a folder by that name, a
	 * folder that does not exist, no permission. Whether an existing file may be replaced is the caller's rule.
	 */
	public static void requireWritablePlace(final Path file, final String key) {
		if (Files.isDirectory(file)) throw new KeypointException(key + ": " + file + " is a folder, not a file.");
		final Path folder = file.toAbsolutePath().getParent();
		if (!Files.isDirectory(folder)) throw new KeypointException(key + ": the folder " + folder + " does not exist.");
		if (!Files.isWritable(folder) || Files.exists(file) && !Files.isWritable(file)) {
			throw new KeypointException(key + ": " + file + " cannot be written (no permission).");
		}
	}

	/**
	 * Writes {@code table} to a temporary file next to {@code file}, then moves it into place. The format
	 * follows the name, as ImageJ's Save As does (.csv: commas, other names: tabs).
	 */
	public static void save(final ResultsTable table, final Path file, final String key) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		try {
			AtomicFiles.write(file, dot > 0 ? name.substring(dot) : ".csv", temporary -> table.saveAs(temporary.toString()));
		}
		catch (final IOException e) {
			throw new KeypointException(key + ": could not write " + file.toAbsolutePath() + ": " + e.getMessage(), e);
		}
	}
}
