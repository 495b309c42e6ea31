package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.macro.Interpreter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** scripts/imagej --headless -macro: the exit code says whether the macro ran to its end. */
class LauncherTest {

	@TempDir
	Path folder;

	@AfterEach
	void leaveBatchMode() {
		Interpreter.batchMode = false;
	}

	@Test
	void aMacroThatRunsToItsEndExitsWithZero() throws Exception {
		final Path macro = Files.writeString(folder.resolve("fine.ijm"), "x = 1 + 1;\n");
		assertEquals(0, Launcher.runHeadless(new Context(), macro, null));
	}

	@Test
	void aMacroErrorIsPrintedInsteadOfADialogAndExitsWithOne() throws Exception {
		final Path macro = Files.writeString(folder.resolve("broken.ijm"), "x = 1;\ny = undefinedThing + 2;\n");
		final PrintStream original = System.err;
		final ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
		final int code;
		try {
			code = Launcher.runHeadless(new Context(), macro, null);
		}
		finally {
			System.setErr(original);
		}
		assertEquals(1, code);
		final String printed = captured.toString(StandardCharsets.UTF_8);
		assertTrue(printed.contains("Macro error in broken.ijm") && printed.contains("Undefined variable"), printed);
	}

	/** A batch job can tell a failed command from success (issue 14, case 13); the macro still runs to its end. */
	/**
	 * Issue 27, case 6: run("8-bit") and run("RGB Color") were unknown to the launcher's ImageJ (Menus adds
	 * them in code) and a command with a dialog printed a bare HeadlessException; now the first work and the
	 * other is named, with what to use instead, and exits with 1.
	 */
	@Test
	void imageTypeCommandsWorkAndOnesThatNeedADisplayAreNamed() throws Exception {
		final Path frames = Files.createDirectories(folder.resolve("frames"));
		final Path macro = Files.writeString(folder.resolve("types.ijm"), "newImage('a', '16-bit ramp', 60, 40, 2);\n" +
			"run('8-bit');\nprint('after 8-bit: ' + bitDepth());\nrun('RGB Color');\nprint('after RGB: ' + bitDepth());\n" +
			"saveAs('PNG', '" + frames.resolve("f1.png") + "');\n" +
			"run('Image Sequence...', 'open=[" + frames + "] sort');\nprint('went on');\n");
		final Headless run = runHeadless(macro);
		final String printed = run.printed();
		assertTrue(printed.contains("after 8-bit: 8") && printed.contains("after RGB: 24"), printed);
		assertTrue(printed.contains("run(\"Image Sequence...\") needs a display: it opens a dialog or a window, and " +
			"scripts/imagej --headless runs ImageJ without one. Instead, File.openSequence(folder, \"sort\") opens a folder " +
			"as a stack without one"), printed);
		assertFalse(printed.contains("java.awt.HeadlessException"), printed);
		assertTrue(printed.contains("went on"), printed);
		assertEquals(1, run.code());
	}

	/** What a headless run of {@code macro} printed to the standard output, and its exit code. */
	private record Headless(int code, String printed) {}

	private static Headless runHeadless(final Path macro) throws Exception {
		final PrintStream original = System.out;
		final ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			final int code = Launcher.runHeadless(new Context(), macro, null);
			return new Headless(code, captured.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setOut(original);
		}
	}

	@Test
	void aFailedKeypointJCommandExitsWithOne() throws Exception {
		final Path done = folder.resolve("done.txt");
		final Path macro = Files.writeString(folder.resolve("failing.ijm"), "newImage('x', '8-bit ramp', 64, 48, 1);\n" +
			"run('Detect Keypoints', 'model=[" + folder.resolve("no such model.zip") + "] device=cpu');\n" +
			"File.saveString('reached', '" + done + "');\n");
		assertEquals(1, Launcher.runHeadless(new Context(), macro, null));
		assertTrue(Files.exists(done), "the macro ran on after the failed command");
	}

	/**
	 * Issue 26, case 5: a required file left out or given empty did nothing, exit 0; now the Log names it and
	 * the exit code is 1, for each command's file: Detect's and Evaluate's model, Train's output, Export's
	 * csv_file, Landmark Files' source.
	 */
	@Test
	void aRequiredFileLeftOutOrEmptyIsNamedAndExitsWithOne() throws Exception {
		final String[] calls = { "run('Detect Keypoints', 'device=cpu');", "run('Detect Keypoints', 'model=[] device=cpu');",
			"run('Evaluate Keypoint Model', 'planes=all');", "run('Train Keypoint Model', 'architecture=NoseNet output=[]');",
			"run('Keypoints as CSV', '');", "run('Landmark Files...', 'margin=2');" };
		final String[] named = { "The macro gives no model for Detect Keypoints", "model=[]: a file is needed",
			"The macro gives no model for Evaluate Keypoint Model", "output=[]: a file is needed",
			"The macro gives no csv_file", "The macro gives no source" };
		for (int i = 0; i < calls.length; i++) {
			final Path macro = Files.writeString(folder.resolve("left-out.ijm"), "newImage('x', '8-bit ramp', 64, 48, 1);\n" +
				calls[i] + "\nprint('last error: ' + call('io.github.keypointj.commands.MacroFunctions.lastError'));\n");
			final Headless run = runHeadless(macro);
			assertEquals(1, run.code(), calls[i] + ": " + run.printed());
			assertTrue(run.printed().contains("last error: " + named[i]), calls[i] + ": " + run.printed());
		}
	}

	/**
	 * Issue 26, case 3: a damaged JPEG in an import folder is skipped by name and the calling macro goes on
	 * (ImageJ's opener aborted it after the importer's own message: train_from_folder.ijm then trained nothing).
	 */
	@Test
	void aDamagedImageInAnImportFolderDoesNotStopTheMacro() throws Exception {
		final Path faces = Files.createDirectories(folder.resolve("faces"));
		io.github.keypointj.io.DatasetFiles.ptsFace(faces, "good", 120, 100, true, 5, 1);
		io.github.keypointj.io.DatasetFiles.ptsFace(faces, "cut", 120, 100, true, 5, 2);
		final Path good = faces.resolve("good.png");
		final Path jpeg = faces.resolve("cut.jpg");
		ij.IJ.saveAs(ij.IJ.openImage(good.toString()), "jpeg", jpeg.toString());
		Files.delete(faces.resolve("cut.png"));
		Files.write(jpeg, java.util.Arrays.copyOf(Files.readAllBytes(jpeg), (int) Files.size(jpeg) / 2)); // truncated
		Files.copy(faces.resolve("cut.pts"), faces.resolve("garbage.pts"));
		Files.write(faces.resolve("garbage.jpg"), new byte[] { (byte) 0xff, (byte) 0xd8, 1, 2, 3 });
		final Path reached = folder.resolve("reached.txt");
		final Path macro = Files.writeString(folder.resolve("import.ijm"), "run('Landmark Files...', 'source=[" + faces +
			"] margin=2 size=64 type=RGB');\nFile.saveString('' + nSlices, '" + reached + "');\n");
		assertEquals(0, Launcher.runHeadless(new Context(), macro, null));
		assertEquals("1", Files.readString(reached), "the good face imported, the macro ran on");
	}

	@Test
	void exitAbortsWithOne() throws Exception {
		final Path macro = Files.writeString(folder.resolve("exit.ijm"), "exit('stop here');\nprint('never');\n");
		assertEquals(1, Launcher.runHeadless(new Context(), macro, null));
	}
}
