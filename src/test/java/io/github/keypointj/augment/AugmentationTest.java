package io.github.keypointj.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.nets.Architecture;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class AugmentationTest {

	private static final int WIDTH = 200, HEIGHT = 150;
	/** Raw intensities: no normalisation, so a sampled input pixel is the image value / 255. */
	private static final Normalization RAW = Normalization.identity(1);

	/**
	 * A plane with a dot under each of 68 keypoints, each dot its own grey value (100 + 2k), on a grid
	 * so that no two touch.
	 */
	private static AnnotatedStack dots(final int planes) {
		final ImageStack stack = new ImageStack(WIDTH, HEIGHT);
		final List<PlaneKeypoints> objects = new ArrayList<>();
		final ImagePlus image = new ImagePlus();
		final Random random = new Random(1);
		final double[][][] points = new double[planes][2][68];
		for (int p = 0; p < planes; p++) {
			final ByteProcessor plane = new ByteProcessor(WIDTH, HEIGHT);
			for (int k = 0; k < 68; k++) {
				final double x = 20 + (k % 10) * 16 + random.nextDouble() * 4;
				final double y = 20 + (k / 10) * 16 + random.nextDouble() * 4;
				points[p][0][k] = x;
				points[p][1][k] = y;
				plane.setColor(100 + 2 * k);
				plane.fillOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 7, 7);
			}
			stack.addSlice(plane);
		}
		image.setStack("dots", stack);
		for (int p = 0; p < planes; p++) {
			objects.add(new PlaneKeypoints(PlanePosition.of(image, p + 1), CropBox.wholeImage(WIDTH, HEIGHT), points[p][0],
				points[p][1]));
		}
		return new AnnotatedStack(image, objects, AnnotatedStack.numberedNames(68), 0, MirrorOrder.IBUG_68);
	}

	private static ModelDescription description(final int width, final int height) {
		return new ModelDescription("t", Architecture.NOSE_NET, width, height, 1, RAW, AnnotatedStack.numberedNames(68),
			CropRecipe.wholeRegion());
	}

	@Test
	void afterAnyRandomTransformEachPointIsStillOnItsOwnDot() {
		final AnnotatedStack stack = dots(1);
		final ModelDescription description = description(200, 150);
		final SampleAugmenter augmenter = new SampleAugmenter(description, new Augmentation(30, 0.2, 0.1, 0, 0, 0, 0, 0, 0));
		final float[][] channels = PlaneReader.read(stack.image(), 1, 1);
		final float[] input = new float[200 * 150];
		final float[] targets = new float[136];
		int checked = 0;
		for (int seed = 0; seed < 40; seed++) {
			augmenter.sample(channels, WIDTH, HEIGHT, stack.objects().get(0), new Random(seed), input, 0, targets, 0);
			for (int k = 0; k < 68; k++) {
				final int x = (int) Math.round(targets[2 * k] * 200 - 0.5);
				final int y = (int) Math.round(targets[2 * k + 1] * 150 - 0.5);
				if (x < 0 || y < 0 || x >= 200 || y >= 150) continue; // moved out of the input
				assertEquals((100 + 2 * k) / 255f, input[y * 200 + x], 12 / 255f, "seed " + seed + ", point " + k);
				checked++;
			}
		}
		assertTrue(checked > 40 * 60, "most points stay inside: " + checked);
	}

	@Test
	void aFlipMirrorsThePixelsAndSwapsLeftAndRightPointsByThePermutation() {
		final AnnotatedStack stack = dots(1);
		final SampleAugmenter augmenter = new SampleAugmenter(description(200, 150), new Augmentation(0, 0, 0, 1, 0, 0, 0, 0, 0));
		final float[] input = new float[200 * 150];
		final float[] targets = new float[136];
		augmenter.sample(PlaneReader.read(stack.image(), 1, 1), WIDTH, HEIGHT, stack.objects().get(0), new Random(1), input, 0,
			targets, 0);
		final PlaneKeypoints original = stack.objects().get(0);
		for (int k = 0; k < 68; k++) {
			final int source = MirrorOrder.IBUG_68.mirrorOf(k);
			// point k of the flipped sample is the mirror image of point IBUG_68[k]
			assertEquals(WIDTH - 1 - original.x()[source], targets[2 * k] * 200 - 0.5, 1e-3);
			assertEquals(original.y()[source], targets[2 * k + 1] * 150 - 0.5, 1e-3);
			final int x = (int) Math.round(targets[2 * k] * 200 - 0.5);
			final int y = (int) Math.round(targets[2 * k + 1] * 150 - 0.5);
			assertEquals((100 + 2 * source) / 255f, input[y * 200 + x], 1e-4f, "the dot of point " + source);
		}
	}

	/**
	 * Annotations that lie right of mirror symmetry keep that offset in a mirror image: a flipped sample's
	 * points move right by twice the offset, in units of the object's box (here 100 image pixels, cropped
	 * 2 boxes wide into 100 input pixels: 0.01 of a box is 1 image pixel, twice that 1 input pixel), and
	 * an unflipped sample's not at all.
	 */
	@Test
	void aMirroredSampleKeepsTheAnnotationsOffsetFromMirrorSymmetry() {
		final AnnotatedStack stack = dots(1);
		final PlaneKeypoints whole = stack.objects().get(0);
		final PlaneKeypoints object = new PlaneKeypoints(whole.plane(), new CropBox(50, 25, 100, 100), whole.x(), whole.y());
		final float[][] channels = PlaneReader.read(stack.image(), 1, 1);
		for (final double flipProbability : new double[] { 0, 1 }) {
			final float[][] targets = new float[2][136];
			for (int offset = 0; offset < 2; offset++) {
				final ModelDescription description = new ModelDescription("t", Architecture.NOSE_NET, 100, 100, 1, RAW,
					AnnotatedStack.numberedNames(68), CropRecipe.squareAroundBox(2));
				description.setMirror(MirrorOrder.IBUG_68);
				description.setMirrorOffset(0.01 * offset);
				new SampleAugmenter(description, new Augmentation(10, 0.1, 0.05, flipProbability, 0, 0, 0, 0, 0)).sample(
					channels, WIDTH, HEIGHT, object, new Random(3), new float[100 * 100], 0, targets[offset], 0);
			}
			for (int k = 0; k < 68; k++) {
				// the same random change either way: the offset is all that differs, scaled (0.9-1.1) and turned with it
				final double dx = (targets[1][2 * k] - targets[0][2 * k]) * 100;
				final double dy = (targets[1][2 * k + 1] - targets[0][2 * k + 1]) * 100;
				assertEquals(flipProbability, Math.hypot(dx, dy), flipProbability * 0.11 + 1e-4, "point " + k);
				if (flipProbability > 0) assertTrue(dx > 0.85, "to the right: " + dx);
			}
		}
	}

	/** 68 points are not always iBUG's: a set that declares no mirror order is never mirrored. */
	@Test
	void aSetWithoutAMirrorOrderIsNeverFlipped() {
		final AnnotatedStack stack = dots(1);
		final ModelDescription description = description(200, 150);
		description.setMirror(null);
		final SampleAugmenter augmenter = new SampleAugmenter(description, new Augmentation(0, 0, 0, 1, 0, 0, 0, 0, 0));
		final float[] targets = new float[136];
		augmenter.sample(PlaneReader.read(stack.image(), 1, 1), WIDTH, HEIGHT, stack.objects().get(0), new Random(1),
			new float[200 * 150], 0, targets, 0);
		for (int k = 0; k < 68; k++) assertEquals(stack.objects().get(0).x()[k], targets[2 * k] * 200 - 0.5, 1e-3);
	}

	@Test
	void thePermutationsAreMirrorPairings() {
		for (final int[] order : new int[][] { MirrorOrder.IBUG_68.order(), MirrorOrder.IMM_58.order() }) {
			for (int k = 0; k < order.length; k++) assertEquals(k, order[order[k]], "flipping twice is the identity");
			assertEquals(order.length, IntStream.of(order).distinct().count());
		}
		assertEquals(52, MirrorOrder.IMM_58.mirrorOf(52), "the IMM nose tip stays the nose tip");
		assertEquals(null, MirrorOrder.guessedFromCount(5), "unknown schemes are not flipped");
	}

	@Test
	void colourJitterAndGrayscale() {
		final float[] data = { 0.2f, 0.4f, 0.6f, 0.8f, 0.1f, 0.3f };
		ColorJitter.apply(new Augmentation(0, 0, 0, 0, 0, 0, 0, 1, 0), new Random(1), data, 0, 3, 2, 2);
		assertEquals(data[0], data[2], 1e-6);
		assertEquals(data[0], data[4], 1e-6);
		assertEquals(0.299f * 0.2f + 0.587f * 0.6f + 0.114f * 0.1f, data[0], 1e-6);

		final float[] bright = { 0.5f, 0.9f };
		ColorJitter.apply(new Augmentation(0, 0, 0, 0, 0.3, 0, 0, 0, 0), new Random(5), bright, 0, 1, 2, 2);
		final double factor = bright[0] / 0.5;
		assertTrue(factor >= 0.7 && factor <= 1.3, "factor " + factor);
		assertEquals(Math.min(1, 0.9 * factor), bright[1], 1e-6, "clamped to 1");
	}

	@Test
	void blurSpreadsAPointAndKeepsItsSum() {
		final float[] plane = new float[5 * 5];
		plane[2 * 5 + 2] = 1;
		ColorJitter.blur121(plane, 0, 5, 5);
		assertEquals(0.25f, plane[2 * 5 + 2], 1e-6, "[1 2 1] / 4 in both directions: 1/2 x 1/2");
		assertEquals(0.125f, plane[2 * 5 + 1], 1e-6);
		assertEquals(0.0625f, plane[1 * 5 + 1], 1e-6);
		double sum = 0;
		for (final float v : plane) sum += v;
		assertEquals(1, sum, 1e-6);

		final float[] always = new float[3 * 4 * 4];
		always[5] = 1;
		ColorJitter.apply(new Augmentation(0, 0, 0, 0, 0, 0, 0, 0, 1), new Random(2), always, 0, 3, 4, 16);
		assertTrue(always[5] < 1 && always[4] > 0, "blurred with probability 1");
		final float[] never = new float[16];
		never[5] = 1;
		ColorJitter.apply(Augmentation.NONE, new Random(2), never, 0, 1, 4, 16);
		assertEquals(1, never[5]);
	}

	@Test
	void theSameSeedGivesTheSameBatchesWhateverTheThreads() {
		final AnnotatedStack stack = dots(10);
		final ModelDescription description = description(80, 60);
		final List<Integer> all = IntStream.range(0, 10).boxed().toList();
		final Augmentation strong = new Augmentation(20, 0.1, 0.1, 0.5, 0.3, 0.3, 0, 0, 0);
		try (BatchLoader one = new BatchLoader(stack, all, description, strong, 4, 7, true, 1);
			BatchLoader three = new BatchLoader(stack, all, description, strong, 4, 7, true, 3);
			BatchLoader otherSeed = new BatchLoader(stack, all, description, strong, 4, 8, true, 2))
		{
			assertEquals(3, one.batchesPerEpoch());
			final List<BatchLoader.Batch> a = collect(one.epoch(2));
			final List<BatchLoader.Batch> b = collect(three.epoch(2));
			assertEquals(List.of(4, 4, 2), a.stream().map(BatchLoader.Batch::size).toList());
			for (int i = 0; i < a.size(); i++) {
				assertArrayEquals(a.get(i).inputs(), b.get(i).inputs());
				assertArrayEquals(a.get(i).targets(), b.get(i).targets());
			}
			assertFalse(java.util.Arrays.equals(a.get(0).targets(), collect(one.epoch(3)).get(0).targets()),
				"another epoch, another order and other changes");
			assertFalse(java.util.Arrays.equals(a.get(0).targets(), collect(otherSeed.epoch(2)).get(0).targets()));
		}
	}

	/**
	 * Without augmentation a loader keeps each object's sample after making it: the batches of a later epoch
	 * (each object again, in another order, twice per epoch here) are those a loader made anew gives.
	 */
	@Test
	void withoutAugmentationALaterEpochGivesTheSamplesMadeAnew() {
		final AnnotatedStack stack = dots(6);
		final ModelDescription description = description(80, 60);
		final List<Integer> all = IntStream.range(0, 6).boxed().toList();
		try (BatchLoader used = new BatchLoader(stack, all, 2, description, Augmentation.NONE, 4, 3, true, 2);
			BatchLoader anew = new BatchLoader(stack, all, 2, description, Augmentation.NONE, 4, 3, true, 2))
		{
			collect(used.epoch(0));
			final List<BatchLoader.Batch> kept = collect(used.epoch(1));
			final List<BatchLoader.Batch> made = collect(anew.epoch(1));
			assertEquals(List.of(4, 4, 4), kept.stream().map(BatchLoader.Batch::size).toList());
			for (int i = 0; i < made.size(); i++) {
				assertArrayEquals(made.get(i).inputs(), kept.get(i).inputs(), "batch " + i);
				assertArrayEquals(made.get(i).targets(), kept.get(i).targets(), "batch " + i);
			}
		}
	}

	private static List<BatchLoader.Batch> collect(final Iterator<BatchLoader.Batch> batches) {
		final List<BatchLoader.Batch> list = new ArrayList<>();
		batches.forEachRemaining(list::add);
		return list;
	}
}
