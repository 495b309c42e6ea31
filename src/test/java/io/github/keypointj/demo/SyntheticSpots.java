package io.github.keypointj.demo;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A made-up keypoint data set that needs no licence: on each noisy 8-bit plane a bright disc (point 1,
 * "disc") and a grey square (point 2, "square"), at random places. The truth is in the overlay as one
 * PointRoi per plane, as a user would annotate it.
 */
public final class SyntheticSpots {

	public static final List<String> NAMES = List.of("disc", "square");

	private SyntheticSpots() {}

	/** The stack and its truth, one PlaneKeypoints per plane. */
	public record Data(ImagePlus image, List<PlaneKeypoints> truth) {}

	public static Data generate(final int planes, final int width, final int height, final long seed) {
		final Random random = new Random(seed);
		final ImageStack stack = new ImageStack(width, height);
		final List<PlaneKeypoints> truth = new ArrayList<>();
		final ImagePlus image = new ImagePlus();
		for (int plane = 1; plane <= planes; plane++) {
			final ByteProcessor processor = new ByteProcessor(width, height);
			final int background = 30 + random.nextInt(40);
			// Our own noise: ImageJ's noise() has its own unseeded generator.
			for (int i = 0; i < width * height; i++) {
				processor.set(i, Math.max(0, Math.min(255, (int) Math.round(background + 12 * random.nextGaussian()))));
			}
			final double discX = 6 + random.nextDouble() * (width - 12);
			final double discY = 6 + random.nextDouble() * (height - 12);
			double squareX, squareY;
			do {
				squareX = 6 + random.nextDouble() * (width - 12);
				squareY = 6 + random.nextDouble() * (height - 12);
			}
			while (Math.hypot(squareX - discX, squareY - discY) < 12);
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					if (Math.hypot(x - discX, y - discY) <= 3.5) processor.set(x, y, 230);
					if (Math.abs(x - squareX) <= 3.5 && Math.abs(y - squareY) <= 3.5) processor.set(x, y, 150);
				}
			}
			stack.addSlice("spots " + plane, processor);
			truth.add(new PlaneKeypoints(new PlanePosition(plane, 1, plane, 1), CropBox.wholeImage(width, height),
				new double[] { discX, squareX }, new double[] { discY, squareY }));
		}
		image.setStack("spots", stack);
		AnnotatedStack.annotate(image, truth, NAMES, null);
		return new Data(image, truth);
	}
}
