package io.github.keypointj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

	@TempDir
	Path folder;

	/** Issue 27, case 7: KeypointJ's CSV files were owner-only (0600), its models 0644. */
	@Test
	void aNewFileGetsThePermissionsOfAnyNewFileAndAnOldOneKeepsItsOwn() throws IOException {
		assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
		final Path plain = Files.createFile(folder.resolve("plain.txt"));
		final Path written = folder.resolve("written.csv");
		AtomicFiles.write(written, ".csv", temporary -> Files.writeString(temporary, "a,b\n"));
		assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
			PosixFilePermissions.toString(Files.getPosixFilePermissions(written)), "as the umask says");

		Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-rw----"));
		AtomicFiles.write(written, ".csv", temporary -> Files.writeString(temporary, "c,d\n"));
		assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
		assertEquals("c,d\n", Files.readString(written));
		try (var left = Files.list(folder)) {
			assertEquals(2, left.count(), "no temporary file left");
		}
	}
}
