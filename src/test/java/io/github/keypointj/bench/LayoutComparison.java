package io.github.keypointj.bench;

import ai.djl.Device;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.InferenceLayout;
import io.github.keypointj.engine.InferencePath;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.nets.Networks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * What the ways of running inference buy: each network's forward pass at batch 1 (and HeatmapNet's at
 * detection's batch), alternating call by call in one process, so that both ways meet the same moments of
 * a shared machine. With {@code script} first, layer by layer (each layer's layout measured) against one
 * script per network ({@link InferencePath}); with a layout ({@code nchw}, the default, {@code
 * channels_last} or {@code native}), layer by layer with that layout forced on every layer against each
 * layer's measured one; with {@code batchnorm}, layer by layer with BatchNorm run on its own against
 * folded into the convolutions ({@link Networks#foldBatchNorm}). Not a test:
 * {@code java -cp ... io.github.keypointj.bench.LayoutComparison [script|batchnorm|nchw|channels_last|native]
 * [NoseNet:1:1000 ...]} (network:batch:calls).
 */
public final class LayoutComparison {

	private static final String[] DEFAULT_ROWS = { "NoseNet:1:1000", "FaceNet:1:400", "ResNet18:1:60", "HeatmapNet:1:100",
		"HeatmapNet:8:20" };

	private LayoutComparison() {}

	public static void main(final String[] args) {
		final boolean script = args.length > 0 && args[0].equals("script");
		final boolean batchNorm = args.length > 0 && args[0].equals("batchnorm");
		final boolean layoutGiven = args.length > 0 && !script && !batchNorm && !args[0].contains(":");
		final InferenceLayout forced = layoutGiven ? InferenceLayout.valueOf(args[0].toUpperCase(Locale.ROOT))
			: InferenceLayout.NCHW;
		final String[] rows = Arrays.copyOfRange(args, script || batchNorm || layoutGiven ? 1 : 0, args.length);
		if (!script) InferencePath.use(InferencePath.LAYERS);
		final IntConsumer secondWay = script ? on -> InferencePath.use(on == 1 ? InferencePath.SCRIPT : InferencePath.LAYERS)
			: batchNorm ? on -> Networks.foldBatchNorm(on == 1)
			: on -> Convolutions.useInferenceLayout(on == 1 ? null : forced);
		System.out.println(script
			? "| network | batch | layer by layer ms (median / lower quartile) | one script ms | layers / script |"
			: batchNorm
			? "| network | batch | BatchNorm on its own ms (median / lower quartile) | folded ms | on its own / folded |"
			: "| network | batch | " + forced.description() + " ms (median / lower quartile) | measured per layer ms | " +
				forced.label() + " / measured |");
		System.out.println("|---|---|---|---|---|");
		for (final String row : rows.length > 0 ? rows : DEFAULT_ROWS) {
			final String[] parts = row.split(":");
			compare(Architecture.fromLabel(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), secondWay);
		}
		secondWay.accept(1);
		if (!batchNorm) System.out.println("Measured layouts: " + Convolutions.inferenceLayout());
		System.exit(0); // the engine needs no orderly shutdown here
	}

	/** Alternates {@code secondWay.accept(0)} and {@code accept(1)} call by call: the two ways of computing the same. */
	private static void compare(final Architecture architecture, final int batch, final int calls,
		final IntConsumer secondWay)
	{
		final ModelDescription description = ModelDescription.of("layout", architecture, architecture.defaultWidth(),
			architecture.defaultHeight(), AnnotatedStack.numberedNames(Benchmark.reportKeypoints(architecture)));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = new float[batch * model.inputSize()];
			final Random random = new Random(1);
			for (int i = 0; i < input.length; i++) input[i] = random.nextFloat();
			final long warm = System.nanoTime() + 3_000_000_000L;
			for (int i = 0; System.nanoTime() < warm; i++) {
				secondWay.accept(i % 2);
				model.predict(input, batch);
			}
			final double[][] ms = new double[2][calls];
			for (int i = 0; i < 2 * calls; i++) {
				secondWay.accept(i % 2);
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
