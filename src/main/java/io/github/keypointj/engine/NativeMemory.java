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
 * Blocks above glibc's largest mmap threshold (32 MB) would still be mapped and unmapped each time:
 * a HeatmapNet stem's activations at batch 32, every map of the fine heatmap network. So mmap is
 * switched off altogether (M_MMAP_MAX 0): an elementwise operation on a 36 MB tensor took 50 ms,
 * page faults almost all of it, and 0.5 ms so; a training step of the fine heatmap network 2.6 s
 * and 0.94 s. Blocks larger than a thread arena's 64 MB heap are still mapped (glibc falls back).
 * <p>
 * Those blocks cost the most: a 192x192 input at batch 32 makes the fine heatmap network's stem
 * activations 75 MB and its 68 maps 80 MB, and a training step spent a third of its time in page faults
 * (this virtual machine's are dear), 7.8 s a step where 128x128 took 1.0. So PyTorch is also asked to
 * place its blocks of 2 MB and more on transparent huge pages ({@code THP_MEM_ALLOC_ENABLE=1}, read by
 * libc10 at its first allocation, hence set here before the engine loads): 512 times fewer faults, and
 * the step took 3.1 s (at 128x128 nothing changed). It needs the kernel's transparent huge pages in
 * {@code madvise} or {@code always} mode; with {@code never} it changes nothing.
 * <p>
 * The cost: up to {@value #TRIM_THRESHOLD_MB} MB of freed memory per malloc arena stays with the process
 * while work runs. Off with {@code -Dkeypointj.keep_native_memory=false}; environment variables set by
 * the user win.
 * <p>
 * When a training or a detection ends, {@link #handBackFreedMemory} returns what the arenas kept. glibc gives threads
 * up to 8 arenas per core (on 2 cores all 16 exist before KeypointJ runs); each training runs on a new
 * thread (a Fiji command's), which may take another arena than the last, and each arena kept what its
 * training freed: six short ResNet-18 trainings on 2 cores grew the process from 0.5 to 1.7 GB, and to
 * 0.75 GB with the hand-back (issue 14, bench/RepeatedTrainings). What stays is the top of each thread
 * arena, which malloc_trim does not reach. Fewer arenas cannot be asked for from within Java: glibc
 * fixes their limit once the JVM's own threads have made more than 8, and mallopt's M_ARENA_MAX
 * afterwards changes nothing (MALLOC_ARENA_MAX=2 in the environment does).
 */
public final class NativeMemory {

	public static final String PROPERTY = "keypointj.keep_native_memory";

	static final int TRIM_THRESHOLD_MB = 512;
	private static final int M_TRIM_THRESHOLD = -1;
	private static final int M_TOP_PAD = -2;
	private static final int M_MMAP_THRESHOLD = -3;
	private static final int M_MMAP_MAX = -4;
	/** glibc's largest allowed mmap threshold on 64-bit systems (HEAP_MAX_SIZE / 2). */
	private static final int MMAP_THRESHOLD_BYTES = 32 << 20;
	private static final int TOP_PAD_BYTES = 64 << 20;

	/** What was done; null until {@link #keepFreedMemory} ran. */
	private static String status;
	/** How often {@link #handBackFreedMemory} gave freed memory back: for the About report and tests. */
	private static int handedBack;

	private NativeMemory() {}

	/** Applies the tuning once; never fails (other C libraries simply keep their behaviour). */
	static synchronized void keepFreedMemory() {
		if (status != null) return;
		if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
			status = "system default (" + PROPERTY + "=false)";
			return;
		}
		if (userSetsMalloc()) {
			status = "set by the MALLOC_* or GLIBC_TUNABLES environment variables";
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
				mallopt.invokeInt(new Object[] { M_TOP_PAD, TOP_PAD_BYTES }) == 1 &&
				mallopt.invokeInt(new Object[] { M_MMAP_MAX, 0 }) == 1;
			status = applied ? "freed blocks kept for reuse (glibc mallopt: no mmap up to an arena's 64 MB, trim threshold " +
				TRIM_THRESHOLD_MB + " MB)" + hugePages() : "system default (mallopt refused the settings)";
		}
		catch (final RuntimeException | LinkageError e) {
			status = "system default (no glibc mallopt: " + e.getMessage() + ")";
		}
	}

	/** PyTorch's environment variable for its blocks of 2 MB and more on transparent huge pages. */
	static final String HUGE_PAGES_VARIABLE = "THP_MEM_ALLOC_ENABLE";

	/** Asks libc10 for huge pages (unless the environment says otherwise); what was done, for the status. */
	private static String hugePages() {
		final String given = System.getenv(HUGE_PAGES_VARIABLE);
		if (given != null) return "; huge pages as the environment says (" + HUGE_PAGES_VARIABLE + "=" + given + ")";
		try {
			final Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
			if (setenv.invokeInt(new Object[] { HUGE_PAGES_VARIABLE, "1", 0 }) != 0) return "";
			return "; PyTorch's blocks of 2 MB and more on transparent huge pages (" + HUGE_PAGES_VARIABLE + "=1)";
		}
		catch (final RuntimeException | LinkageError e) {
			return "";
		}
	}

	/** Whether the user tuned malloc in the environment, which then wins over KeypointJ's settings. */
	public static boolean userSetsMalloc() {
		final String tunables = System.getenv("GLIBC_TUNABLES");
		return System.getenv("MALLOC_TRIM_THRESHOLD_") != null || System.getenv("MALLOC_MMAP_THRESHOLD_") != null ||
			System.getenv("MALLOC_MMAP_MAX_") != null || tunables != null && tunables.contains("glibc.malloc.");
	}

	/**
	 * Hands the freed memory that malloc keeps, in every arena, back to the system (glibc's malloc_trim);
	 * call when work that freed much has ended. Whatever the tuning: glibc's own thresholds rise too once
	 * large blocks were freed. Never fails; elsewhere than on glibc it does nothing.
	 */
	public static synchronized void handBackFreedMemory() {
		if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return;
		try {
			NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] { 0 });
			handedBack++;
		}
		catch (final RuntimeException | LinkageError e) {
			// another C library: it keeps its own behaviour
		}
	}

	/** How often freed memory went back to the system since Java started. */
	public static synchronized int handedBack() {
		return handedBack;
	}

	/** What {@link #keepFreedMemory} did, for the About report. */
	public static synchronized String status() {
		return (status != null ? status : "not tuned yet") + (handedBack > 0 ? "; handed back after each training and detection (" +
			handedBack + " so far)" : "");
	}
}
