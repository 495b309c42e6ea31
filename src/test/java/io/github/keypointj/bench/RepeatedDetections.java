package io.github.keypointj.bench;

import ij.IJ;
import ij.ImagePlus;
import io.github.keypointj.Progress;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * What one JVM keeps over many detections (issue 26, case 10: a batch of 200 photos grew to 2.2 GB
 * resident, and a cluster job given 2 GB died near the 110th): Detect Keypoints on the photos given, in
 * turn, each run on a new thread as Fiji runs a command, with the process's resident memory and what
 * glibc's malloc holds every {@code every} runs ({@code -Dsame=true}: all on one thread). Not a test:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) \
 *   io.github.keypointj.bench.RepeatedDetections MODEL.zip RUNS EVERY PHOTO...
 * </pre>
 * Figures in docs/HARDENING.md.
 */
public final class RepeatedDetections {

	/** {@code -Dsame=true}: every detection on the main thread, as a script's loop would run them. */
	private static final boolean SAME_THREAD = Boolean.getBoolean("same");

	private RepeatedDetections() {}

	public static void main(final String[] args) throws Exception {
		final Path model = Paths.get(args[0]);
		final int runs = Integer.parseInt(args[1]);
		final int every = Integer.parseInt(args[2]);
		System.out.printf(Locale.ROOT, "at start: RSS %.0f MB%n", RepeatedTrainings.residentMb());
		System.out.println("run  seconds  RSS MB  malloc in use MB  malloc free kept MB  arenas");
		final long start = System.nanoTime();
		for (int run = 1; run <= runs; run++) {
			final ImagePlus photo = IJ.openImage(args[3 + (run - 1) % (args.length - 3)]);
			final Runnable detection = () -> Detection.run(photo, new DetectionRequest(model, true, Region.WHOLE_IMAGE,
				DeviceChoice.CPU, 3), Progress.NONE);
			if (SAME_THREAD) detection.run();
			else {
				final Thread command = new Thread(detection, "detection " + run);
				command.start();
				command.join();
			}
			if (run == 1 || run % every == 0) {
				final RepeatedTrainings.Glibc.Info malloc = RepeatedTrainings.Glibc.info();
				System.out.printf(Locale.ROOT, "%3d  %7.1f  %6.0f  %16.0f  %19.0f  %6d%n", run, (System.nanoTime() - start) /
					1e9, RepeatedTrainings.residentMb(), malloc.inUseMb(), malloc.freeMb(), RepeatedTrainings.Glibc.arenas());
			}
		}
		System.exit(0); // the engine's threads would keep the JVM
	}
}
