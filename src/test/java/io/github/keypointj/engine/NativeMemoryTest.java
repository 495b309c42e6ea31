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
