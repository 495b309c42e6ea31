package io.github.keypointj;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files written whole or not at all: to a temporary file next to the target, then moved into place.
 * Readers never see half a file, and an existing file is replaced only once the new one is complete.
 */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** Writes the content of a file to the path it is given. */
	@FunctionalInterface
	public interface Content {
		void writeTo(Path temporary) throws IOException;
	}

	/**
	 * Writes {@code content} to a temporary file named {@code .<target name>...<suffix>} next to
	 * {@code target} and moves it into place; on failure the temporary file is deleted and the target
	 * is as it was.
	 */
	public static void write(final Path target, final String suffix, final Content content) throws IOException {
		final Path absolute = target.toAbsolutePath();
		Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), suffix);
		try {
			content.writeTo(temporary);
			try {
				Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
			}
			temporary = null;
		}
		finally {
			if (temporary != null) {
				try {
					Files.deleteIfExists(temporary);
				}
				catch (final IOException ignored) {
					// Only a leftover temporary file; the target is untouched.
				}
			}
		}
	}
}
