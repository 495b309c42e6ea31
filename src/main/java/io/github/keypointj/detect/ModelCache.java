package io.github.keypointj.detect;

import ai.djl.Device;
import io.github.keypointj.KeypointException;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The model of the last detection, kept loaded for the next: a macro that detects on each image of a
 * folder otherwise reads and checks the same model file for every image (0.4-0.8 s each on 2 cores).
 * One model is kept, for one detection at a time; the file's path, size and modification time must be
 * the same, so a model file that was replaced is read again. Another model, or a detection while the
 * kept one is in use, loads its own.
 */
final class ModelCache {

	/** What identifies a model file's content as read. */
	private record Key(Path file, long size, long modified, Device device) {}

	private static Key key;
	private static KeypointModel kept;
	private static boolean lent;

	private ModelCache() {}

	/** A model borrowed for one detection; closing it hands it back (or frees it, when it is not the kept one). */
	static final class Lease implements AutoCloseable {

		private final KeypointModel model;
		private final boolean cached;

		private Lease(final KeypointModel model, final boolean cached) {
			this.model = model;
			this.cached = cached;
		}

		KeypointModel model() {
			return model;
		}

		@Override
		public void close() {
			if (cached) giveBack();
			else model.close();
		}
	}

	/**
	 * The model in {@code file} on {@code device}: the kept one when it is that file, unchanged, and free.
	 *
	 * @throws KeypointException as {@link ModelFile#load} does
	 */
	static Lease borrow(final Path file, final Device device) {
		final Key wanted = keyOf(file, device);
		synchronized (ModelCache.class) {
			if (wanted != null && wanted.equals(key) && !lent) {
				lent = true;
				return new Lease(kept, true);
			}
		}
		final KeypointModel loaded = ModelFile.load(file, device);
		synchronized (ModelCache.class) {
			if (wanted == null || lent) return new Lease(loaded, false);
			if (kept != null) kept.close();
			kept = loaded;
			key = wanted;
			lent = true;
			return new Lease(loaded, true);
		}
	}

	private static synchronized void giveBack() {
		lent = false;
	}

	/** Frees the kept model, e.g. for a test that counts native memory; the next detection loads again. */
	static synchronized void clear() {
		if (lent) return;
		if (kept != null) kept.close();
		kept = null;
		key = null;
	}

	private static Key keyOf(final Path file, final Device device) {
		try {
			final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			return new Key(file.toAbsolutePath().normalize(), attributes.size(), attributes.lastModifiedTime().toMillis(),
				device);
		}
		catch (final IOException | RuntimeException e) {
			return null; // ModelFile.load says what is wrong with it
		}
	}
}
