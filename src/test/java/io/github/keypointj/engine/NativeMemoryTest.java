package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class NativeMemoryTest {

	@Test
	void glibcKeepsFreedMemoryOnceTheEngineRuns() {
		KeypointEngine.get();
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		assumeTrue(System.getenv("MALLOC_TRIM_THRESHOLD_") == null && System.getenv("MALLOC_MMAP_THRESHOLD_") == null,
			"the user's own malloc settings win");
		assertTrue(NativeMemory.status().startsWith("freed blocks kept for reuse"), NativeMemory.status());
		assertTrue(EngineReport.lines().stream().anyMatch(line -> line.equals("Native memory: " + NativeMemory.status())));
	}

	@Test
	void freedMemoryGoesBackOnRequestAndTheReportSaysSo() {
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		final int before = NativeMemory.handedBack();
		NativeMemory.handBackFreedMemory();
		assertEquals(before + 1, NativeMemory.handedBack());
		assertTrue(NativeMemory.status().endsWith("handed back after each training and detection (" + (before + 1) + " so far)"),
			NativeMemory.status());
	}
}
