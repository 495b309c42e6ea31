package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;
import io.github.keypointj.TestImages;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaggleCsvTest {

	@TempDir
	Path folder;

	@Test
	void aStackThatWasNotImportedIsRefused() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> KaggleCsv.write(TestImages.stack("8-bit", 10, 10, 1), List.of(), folder.resolve("x.csv")));
		assertTrue(e.getMessage().contains("was not imported with Import>Landmark Files"), e.getMessage());
	}
}
