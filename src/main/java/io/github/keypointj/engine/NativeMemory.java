package io.github.keypointj.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Keeps the native memory that PyTorch frees for reuse instead of handing it back to the system.
 * <p>
 * Every training step allocates temporaries of a few MB (gradients, Adam's intermediate tensors,
 * activations) and frees them again. glibc's malloc gives such blocks back to the kernel at once
 * (mmap above its threshold, trimming of the heap top), so each step page-faults all of them in
 * again: measured here, an Adam update over FaceNet's 510,000 weights took 7.0 ms that way and 1.3 ms
 * with freed memory kept. Python users get the same effect by setting MALLOC_MMAP_THRESHOLD_ and
 * MALLOC_TRIM_THRESHOLD_, or by preloading jemalloc; a Fiji plugin cannot set the environment of
 * the JVM it runs in, so KeypointJ calls glibc's mallopt once, before the engine starts.
 * <p>
 * The cost: up to {@value #TRIM_THRESHOLD_MB} MB of freed memory per malloc arena stays with the process.
 * Off with {@code -Dkeypointj.keep_native_memory=false}; environment variables set by the user win.
 */
public final class NativeMemory {

	public static final String PROPERTY = "keypointj.keep_native_memory";

	static final int TRIM_THRESHOLD_MB = 512;
	private static final int M_TRIM_THRESHOLD = -1;
	private static final int M_TOP_PAD = -2;
	private static final int M_MMAP_THRESHOLD = -3;
	/** glibc's largest allowed mmap threshold on 64-bit systems (HEAP_MAX_SIZE / 2). */
	private static final int MMAP_THRESHOLD_BYTES = 32 << 20;
	private static final int TOP_PAD_BYTES = 64 << 20;

	/** What was done; null until {@link #keepFreedMemory} ran. */
	private static String status;

	private NativeMemory() {}

	/** Applies the tuning once; never fails (other C libraries simply keep their behaviour). */
	static synchronized void keepFreedMemory() {
		if (status != null) return;
		if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
			status = "system default (" + PROPERTY + "=false)";
			return;
		}
		if (System.getenv("MALLOC_TRIM_THRESHOLD_") != null || System.getenv("MALLOC_MMAP_THRESHOLD_") != null) {
			status = "set by the MALLOC_* environment variables";
			return;
		}
		if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
			status = "system default (not Linux)";
			return;
		}
		try {
			final Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
			final boolean applied = mallopt.invokeInt(new Object[] { M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES }) == 1 &&
				mallopt.invokeInt(new Object[] { M_TRIM_THRESHOLD, TRIM_THRESHOLD_MB << 20 }) == 1 &&
				mallopt.invokeInt(new Object[] { M_TOP_PAD, TOP_PAD_BYTES }) == 1;
			status = applied ? "freed blocks kept for reuse (glibc mallopt: mmap threshold 32 MB, trim threshold " +
				TRIM_THRESHOLD_MB + " MB)" : "system default (mallopt refused the settings)";
		}
		catch (final RuntimeException | LinkageError e) {
			status = "system default (no glibc mallopt: " + e.getMessage() + ")";
		}
	}

	/** What {@link #keepFreedMemory} did, for the About report. */
	public static synchronized String status() {
		return status != null ? status : "not tuned yet";
	}
}
