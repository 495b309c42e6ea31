package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MacroFunctionsTest {

	@TempDir
	Path folder;

	/** Issue 26, case 2: a table is written whole or not at all, and a failure names the file. */
	@Test
	void saveTextWritesWholeOrNamesTheFileItCouldNotWrite() throws Exception {
		final Path table = folder.resolve("keypoints.csv");
		assertEquals("", MacroFunctions.saveText(table.toString(), "file,x\na.png,1\n"));
		assertEquals("file,x\na.png,1\n", Files.readString(table));
		assertEquals("", MacroFunctions.saveText(table.toString(), "file,x\n"), "replaces an older table");
		assertEquals("file,x\n", Files.readString(table));

		final int failedBefore = Failures.count();
		final Path missing = folder.resolve("no-such-folder").resolve("keypoints.csv");
		assertEquals("could not write " + missing.toAbsolutePath() + " (its folder does not exist); it is as it was " +
			"before.", MacroFunctions.saveText(missing.toString(), "x"));
		final Path taken = Files.createDirectory(folder.resolve("taken.csv"));
		Files.writeString(taken.resolve("inside.txt"), "kept");
		final String problem = MacroFunctions.saveText(taken.toString(), "x");
		assertTrue(problem.startsWith("could not write " + taken.toAbsolutePath() + " (it is a folder)"), problem);
		assertEquals("kept", Files.readString(taken.resolve("inside.txt")));
		assertEquals(failedBefore + 2, Failures.count(), "each counts for exitOnFailure");
		try (var left = Files.list(folder)) {
			assertEquals(2, left.count(), "no temporary file left: " + folder);
		}
	}
}
