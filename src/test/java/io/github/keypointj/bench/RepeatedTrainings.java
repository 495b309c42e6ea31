package io.github.keypointj.bench;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import ij.ImagePlus;
import ij.process.StackConverter;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.EngineReport;
import io.github.keypointj.engine.GlibcMalloc;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one JVM keeps over repeated trainings (issue 14): after each short ResNet-18 training through
 * {@link TrainingRun#run}, the Java heap after a full GC, the process's resident memory, what glibc's
 * malloc holds (in use, and freed but kept) and the DJL arrays still alive. Each run on a new thread,
 * as a Fiji command's is, or all on one. Not a test:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) -Xmx4g \
 *   io.github.keypointj.bench.RepeatedTrainings [runs [new|same [side [planes [batch [epochs]]]]]]
 * </pre>
 * Defaults: 6 runs, new threads, ResNet-18 at 96x96 on 16 RGB planes, batch 8, 1 epoch. Compare with
 * {@code -Dkeypointj.keep_native_memory=false}, with the environment variable MALLOC_ARENA_MAX=2, and
 * with {@code -Dtrim=true} (glibc's malloc_trim after each run, as TrainingRun itself does since issue
 * 14: what then goes back was freed memory kept by malloc, not memory in use). Figures of issue 14 in
 * docs/HARDENING.md.
 */
public final class RepeatedTrainings {

	private RepeatedTrainings() {}

	public static void main(final String[] args) throws Exception {
		final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
		final boolean newThreads = args.length <= 1 || args[1].equals("new");
		final int side = args.length > 2 ? Integer.parseInt(args[2]) : 96;
		final int planes = args.length > 3 ? Integer.parseInt(args[3]) : 16;
		final int batch = args.length > 4 ? Integer.parseInt(args[4]) : 8;
		final int epochs = args.length > 5 ? Integer.parseInt(args[5]) : 1;
		final boolean trim = Boolean.getBoolean("trim");
		System.out.printf(Locale.ROOT, "at start: RSS %.0f MB, %d malloc arenas%n", residentMb(), Glibc.arenas());
		final ImagePlus image = SyntheticSpots.generate(planes, side, side, 1).image();
		new StackConverter(image).convertToRGB();
		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		final Path folder = Files.createTempDirectory("repeated-trainings");
		System.out.printf(Locale.ROOT, "ResNet-18 %dx%d, %d RGB planes, batch %d, %d epoch(s), %d runs on %s; %s%n", side, side,
			planes, batch, epochs, runs, newThreads ? "a new thread each" : "one thread", trim ? "malloc_trim after each run" : "");
		System.out.println("run  seconds  heap MB  heap committed MB  RSS MB  malloc in use MB  malloc free kept MB  arenas  DJL managers  arrays  array MB  direct MB");
		for (int run = 1; run <= runs; run++) {
			final TrainingRequest request = new TrainingRequest(Architecture.RESNET18, side, side, epochs, batch, 1e-3f, true,
				"all", "0.25", run, DeviceChoice.CPU, folder.resolve("run" + run + ".zip"), null);
			final long start = System.nanoTime();
			final Runnable training = () -> TrainingRun.run(stack, request, TrainingListener.NONE, Progress.NONE);
			if (newThreads) {
				final Thread thread = new Thread(training, "training " + run);
				thread.start();
				thread.join();
			}
			else {
				training.run();
			}
			final double seconds = (System.nanoTime() - start) / 1e9;
			if (run == 1) EngineReport.lines().stream().filter(line -> line.startsWith("Native memory")).forEach(
				System.out::println);
			if (trim) Glibc.trim();
			for (int i = 0; i < 3; i++) System.gc();
			final Glibc.Info malloc = Glibc.info();
			final DjlCount djl = DjlCount.all();
			System.out.printf(Locale.ROOT, "%3d  %7.1f  %7.0f  %17.0f  %6.0f  %16.0f  %19.0f  %6d  %12d  %6d  %8.1f  %9.1f%n", run, seconds,
				ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6,
				ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1e6, residentMb(), malloc.inUseMb,
				malloc.freeMb, Glibc.arenas(), djl.managers, djl.arrays, djl.bytes / 1e6, directMb());
			for (final String file : new String[] { "run" + run + ".zip", "run" + run + ".checkpoint.zip" }) {
				Files.deleteIfExists(folder.resolve(file));
			}
		}
		Files.deleteIfExists(folder);
		System.exit(0); // the engine's threads would keep the JVM
	}

	/** Java's direct buffers still allocated (outside the heap, with malloc), in MB. */
	static double directMb() {
		return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
			.filter(pool -> pool.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
			.sum() / 1e6;
	}

	/** VmRSS of this process, in MB. */
	static double residentMb() throws java.io.IOException {
		for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
		}
		return Double.NaN;
	}

	/** The managers below DJL's root and the arrays they hold: what no run should leave behind. */
	record DjlCount(int managers, int arrays, long bytes) {

		static DjlCount all() throws ReflectiveOperationException {
			try (NDManager probe = NDManager.newBaseManager()) {
				final int[] counts = new int[2];
				final long[] bytes = new long[1];
				count(probe.getParentManager(), probe, counts, bytes, new IdentityHashMap<>());
				return new DjlCount(counts[0], counts[1], bytes[0]);
			}
		}

		private static void count(final Object resource, final NDManager probe, final int[] counts, final long[] bytes,
			final Map<Object, Boolean> seen) throws ReflectiveOperationException
		{
			if (resource == probe || seen.put(resource, true) != null) return;
			if (resource instanceof NDArray array) {
				counts[1]++;
				bytes[0] += array.size() * array.getDataType().getNumOfBytes();
			}
			else if (resource instanceof BaseNDManager manager) {
				counts[0]++;
				final Field field = BaseNDManager.class.getDeclaredField("resources");
				field.setAccessible(true);
				for (final Object child : new ArrayList<>(((Map<?, ?>) field.get(manager)).values())) {
					count(child, probe, counts, bytes, seen);
				}
			}
		}
	}

	/** glibc's own figures: mallinfo2 over all arenas, malloc_info's count of arenas, malloc_trim. */
	static final class Glibc {

		record Info(double inUseMb, double freeMb) {}

		private static final NativeLibrary C = NativeLibrary.getInstance("c");

		static Info info() {
			final GlibcMalloc.MallInfo2 info = GlibcMalloc.mallinfo2();
			return new Info((info.uordblks + info.hblkhd) / 1e6, info.fordblks / 1e6);
		}

		static void trim() {
			C.getFunction("malloc_trim").invokeInt(new Object[] { 0 });
		}

		/** How many arenas malloc has: the heaps that malloc_info lists (written to memory by open_memstream). */
		static int arenas() {
			final com.sun.jna.Memory buffer = new com.sun.jna.Memory(8);
			final com.sun.jna.Memory size = new com.sun.jna.Memory(8);
			final Pointer stream = (Pointer) C.getFunction("open_memstream").invoke(Pointer.class, new Object[] { buffer,
				size });
			C.getFunction("malloc_info").invokeInt(new Object[] { 0, stream });
			C.getFunction("fclose").invokeInt(new Object[] { stream });
			final Pointer text = buffer.getPointer(0);
			final String xml = text.getString(0, "UTF-8");
			C.getFunction("free").invokeVoid(new Object[] { text });
			return xml.split("<heap nr=", -1).length - 1;
		}
	}
}
