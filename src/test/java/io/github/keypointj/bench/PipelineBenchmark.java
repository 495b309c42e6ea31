package io.github.keypointj.bench;

import ij.ImagePlus;
import ij.process.ImageConverter;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.augment.BatchLoader;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Samples per second of the training data pipeline (crop, augmentation, resize, normalisation, batching)
 * for the report's three presets and HeatmapNet's. Not a test: run {@code scripts/bench_pipeline}.
 */
public final class PipelineBenchmark {

	private PipelineBenchmark() {}

	public static void main(final String[] args) {
		final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
		final int cores = Runtime.getRuntime().availableProcessors();
		final AnnotatedStack imm = annotated(SyntheticSpots.generate(48, 640, 480, 1).image(), false);
		final AnnotatedStack w300 = annotated(SyntheticSpots.generate(48, 384, 384, 2).image(), true);
		System.out.printf("%-40s %8s %14s %14s%n", "preset (source -> input)", "augment", "samples/s 1T", "samples/s " + cores + "T");
		row("NoseNet 640x480 gray -> 80x60", imm, Architecture.NOSE_NET, Augmentation.NONE, seconds, cores);
		row("NoseNet 640x480 gray -> 80x60", imm, Architecture.NOSE_NET, Augmentation.faceNet(), seconds, cores);
		row("FaceNet 640x480 gray -> 160x120", imm, Architecture.FACE_NET, Augmentation.faceNet(), seconds, cores);
		row("ResNet18 384x384 RGB -> 224x224", w300, Architecture.RESNET18, Augmentation.resNet(), seconds, cores);
		// As training cuts them: each object in the box of its points (the planes have no rectangles).
		row("HeatmapNet 384x384 RGB -> 128x128", w300.withObjectBoxes(), Architecture.HEATMAP_NET, Augmentation.wild(),
			seconds, cores);
	}

	private static AnnotatedStack annotated(final ImagePlus image, final boolean rgb) {
		if (rgb) new ImageConverter(image).convertToRGB();
		return AnnotatedStack.read(image, null);
	}

	private static void row(final String name, final AnnotatedStack stack, final Architecture architecture,
		final Augmentation augmentation, final double seconds, final int cores)
	{
		final ModelDescription description = ModelDescription.of("bench", architecture, architecture.defaultWidth(),
			architecture.defaultHeight(), stack.keypointNames());
		System.out.printf("%-40s %8s %14.0f %14.0f%n", name, augmentation.isNone() ? "no" : "yes",
			rate(stack, description, augmentation, 1, seconds), rate(stack, description, augmentation, cores, seconds));
	}

	private static double rate(final AnnotatedStack stack, final ModelDescription description,
		final Augmentation augmentation, final int threads, final double seconds)
	{
		final List<Integer> all = IntStream.range(0, stack.objects().size()).boxed().toList();
		try (BatchLoader loader = new BatchLoader(stack, all, description, augmentation, 16, 1, true, threads)) {
			drain(loader.epoch(0)); // warm-up
			int samples = 0;
			final long start = System.nanoTime();
			for (int epoch = 1; (System.nanoTime() - start) / 1e9 < seconds; epoch++) samples += drain(loader.epoch(epoch));
			return samples / ((System.nanoTime() - start) / 1e9);
		}
	}

	private static int drain(final Iterator<BatchLoader.Batch> batches) {
		int samples = 0;
		while (batches.hasNext()) samples += batches.next().size();
		return samples;
	}
}
