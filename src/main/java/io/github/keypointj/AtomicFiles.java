package io.github.keypointj;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

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
	 * is as it was. The file keeps the permissions it had; a new one gets those of any file the user creates
	 * (the umask's), not the owner-only ones of a temporary file.
	 */
	public static void write(final Path target, final String suffix, final Content content) throws IOException {
		final Path absolute = target.toAbsolutePath();
		Path temporary = createTemporary(absolute, suffix);
		try {
			if (Files.exists(absolute)) keepPermissions(absolute, temporary);
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

	/** Files.createTempFile would make it owner-only (0600); a plain new file gets the umask's permissions. */
	private static Path createTemporary(final Path target, final String suffix) throws IOException {
		while (true) {
			final Path temporary = target.resolveSibling("." + target.getFileName() +
				Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix);
			try {
				return Files.createFile(temporary);
			}
			catch (final FileAlreadyExistsException e) {
				// another name
			}
		}
	}

	private static void keepPermissions(final Path existing, final Path temporary) {
		try {
			Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(existing));
		}
		catch (final IOException | UnsupportedOperationException e) {
			// Not a POSIX file system: its default permissions apply.
		}
	}
}
