package io.github.keypointj.bench;

import ai.djl.Device;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * What channels-last inference buys: each network's forward pass at batch 1 (and HeatmapNet's at
 * detection's batch), NCHW and channels last alternating call by call in one process, so that both meet
 * the same moments of a shared machine. Not a test:
 * {@code java -cp ... io.github.keypointj.bench.LayoutComparison [NoseNet:1:1000 ...]} (network:batch:calls).
 */
public final class LayoutComparison {

	private static final String[] DEFAULT_ROWS = { "NoseNet:1:1000", "FaceNet:1:400", "ResNet18:1:60", "HeatmapNet:1:100",
		"HeatmapNet:8:20" };

	private LayoutComparison() {}

	public static void main(final String[] args) {
		System.out.println("| network | batch | NCHW ms (median / lower quartile) | channels last ms | NCHW / channels last |");
		System.out.println("|---|---|---|---|---|");
		for (final String row : args.length > 0 ? args : DEFAULT_ROWS) {
			final String[] parts = row.split(":");
			compare(Architecture.fromLabel(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
		}
		Convolutions.useChannelsLastInference(true);
		System.exit(0); // the engine needs no orderly shutdown here
	}

	private static void compare(final Architecture architecture, final int batch, final int calls) {
		final ModelDescription description = ModelDescription.of("layout", architecture, architecture.defaultWidth(),
			architecture.defaultHeight(), AnnotatedStack.numberedNames(Benchmark.reportKeypoints(architecture)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[batch * model.inputSize()];
			final Random random = new Random(1);
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			final long warm = System.nanoTime() + 3_000_000_000L;
			for (int i = 0; System.nanoTime() < warm; i++) {
				Convolutions.useChannelsLastInference(i % 2 == 1);
				model.predict(input, batch);
			}
			final double[][] ms = new double[2][calls];
			for (int i = 0; i < 2 * calls; i++) {
				Convolutions.useChannelsLastInference(i % 2 == 1);
				final long start = System.nanoTime();
				model.predict(input, batch);
				ms[i % 2][i / 2] = (System.nanoTime() - start) / 1e6;
			}
			for (final double[] times : ms) Arrays.sort(times);
			System.out.printf(Locale.ROOT, "| %s | %d | %.2f / %.2f | %.2f / %.2f | %.2fx |%n", architecture.label(), batch,
				ms[0][calls / 2], ms[0][calls / 4], ms[1][calls / 2], ms[1][calls / 4], ms[0][calls / 2] / ms[1][calls / 2]);
		}
	}
}
