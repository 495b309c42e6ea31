package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

class NativeMemoryTest {

	@Test
	void glibcKeepsFreedMemoryOnceTheEngineRuns() {
		KeypointEngine.get();
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		assumeTrue(!NativeMemory.userSetsMalloc(), "the user's own malloc settings win");
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

	@Test
	void aTensorAboveGlibcsLargestMmapThresholdComesFromTheHeap() {
		KeypointEngine.get();
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		assumeTrue(!NativeMemory.userSetsMalloc(), "the user's own malloc settings win");
		final long before = mappedBytes();
		try (NDManager manager = NDManager.newBaseManager()) {
			// 40 MB: above the 32 MB that glibc's mmap threshold can be at most, within a thread arena's 64 MB heap.
			final NDArray activations = manager.ones(new Shape(10 << 20));
			final long mapped = mappedBytes() - before;
			assertTrue(mapped < 10 << 20, "the tensor was mapped on its own (" + (mapped >> 20) + " MB more mapped): " +
				"every use would page-fault it in again");
			assertEquals(10 << 20, activations.sum().getFloat(), 0);
		}
	}

	/**
	 * A tensor larger than a thread arena's heap is mapped on its own whatever malloc's settings, and
	 * page-faulted in at each use: PyTorch places it on huge pages, since KeypointJ sets its variable
	 * before the engine loads (where the kernel's transparent huge pages are not off).
	 */
	@Test
	void aTensorLargerThanAnArenaLiesOnHugePages() throws java.io.IOException {
		KeypointEngine.get();
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
		assumeTrue(!NativeMemory.userSetsMalloc() && System.getenv(NativeMemory.HUGE_PAGES_VARIABLE) == null,
			"the user's own settings win");
		assertEquals("1", com.sun.jna.NativeLibrary.getInstance("c").getFunction("getenv").invokeString(new Object[] {
			NativeMemory.HUGE_PAGES_VARIABLE }, false));
		assertTrue(NativeMemory.status().contains("on transparent huge pages (THP_MEM_ALLOC_ENABLE=1)"), NativeMemory.status());
		final java.nio.file.Path mode = java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
		assumeTrue(java.nio.file.Files.exists(mode) && !java.nio.file.Files.readString(mode).contains("[never]"),
			"transparent huge pages are off in this kernel");
		final long before = hugePageBytes();
		try (NDManager manager = NDManager.newBaseManager()) {
			final NDArray maps = manager.ones(new Shape(25 << 20)); // 100 MB: a 192x192 training's heatmaps
			final long huge = hugePageBytes() - before;
			assertTrue(huge >= 16 << 20, "only " + (huge >> 20) + " MB of 100 on huge pages");
			assertEquals(25 << 20, maps.sum().getFloat(), 0);
		}
	}

	/** The process's anonymous memory on transparent huge pages. */
	private static long hugePageBytes() throws java.io.IOException {
		for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps_rollup"))) {
			if (line.startsWith("AnonHugePages:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
		}
		return 0;
	}

	private static long mappedBytes() {
		try {
			return GlibcMalloc.mallinfo2().hblkhd;
		}
		catch (final UnsatisfiedLinkError e) {
			assumeTrue(false, "no mallinfo2 before glibc 2.33");
			throw e;
		}
	}
}
