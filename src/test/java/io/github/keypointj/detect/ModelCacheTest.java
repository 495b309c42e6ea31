package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import io.github.keypointj.model.KeypointModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detections one after another share the model they read, until its file changes. */
class ModelCacheTest {

	private static final Path SPOTS = Paths.get("sample-images", "models", "spots-nosenet.zip");

	@TempDir
	Path folder;

	@AfterEach
	void freeTheKeptModel() {
		ModelCache.clear();
	}

	@Test
	void theSameFileIsReadOnceAndAReplacedOneAgain() throws Exception {
		final Path file = Files.copy(SPOTS, folder.resolve("spots.zip"), StandardCopyOption.COPY_ATTRIBUTES);
		final KeypointModel first;
		try (ModelCache.Lease lease = ModelCache.borrow(file, Device.cpu())) {
			first = lease.model();
		}
		try (ModelCache.Lease lease = ModelCache.borrow(file, Device.cpu())) {
			assertSame(first, lease.model(), "the kept model, not read again");
			try (ModelCache.Lease meanwhile = ModelCache.borrow(file, Device.cpu())) {
				assertNotSame(first, meanwhile.model(), "a second detection at the same time loads its own");
			}
		}
		Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
		try (ModelCache.Lease lease = ModelCache.borrow(file, Device.cpu())) {
			assertNotSame(first, lease.model(), "a file written again is read again");
		}
	}
}
