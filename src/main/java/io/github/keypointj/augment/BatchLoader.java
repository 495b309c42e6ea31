package io.github.keypointj.augment;

import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.model.ModelDescription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches of augmented samples, made on background threads ahead of the training. Deterministic: the
 * order of an epoch and every sample's random changes depend only on the seed, the epoch and the
 * sample, never on which thread made it or when.
 */
public final class BatchLoader implements AutoCloseable {

	/** Inputs (batch x C x H x W, normalised) and targets (batch x 2K, or what the samples' network learns). */
	public record Batch(float[] inputs, float[] targets, int size) {}

	/** What makes the samples: given a sample's index and its own random generator, its input and targets. */
	public interface Samples {

		int inputSize();

		int targetSize();

		void make(int index, Random random, float[] inputs, int inputOffset, float[] targets, int targetOffset);
	}

	private final Samples samples;
	private final List<Integer> objects;
	private final int batchSize;
	private final long seed;
	private final boolean shuffle;
	private final int passes;
	private final int ahead;
	private final ExecutorService workers;

	/**
	 * @param objects indices into {@code stack.objects()} to draw samples from
	 * @param shuffle a new order every epoch (training), or the given order (validation)
	 * @param threads background threads; batches made ahead: twice as many
	 */
	public BatchLoader(final AnnotatedStack stack, final List<Integer> objects, final ModelDescription description,
		final Augmentation augmentation, final int batchSize, final long seed, final boolean shuffle, final int threads)
	{
		this(stack, objects, 1, description, augmentation, batchSize, seed, shuffle, threads);
	}

	/**
	 * @param passes how many times an epoch shows each object, each time with its own random changes: a
	 *        small stack's epoch is then as many optimiser steps as the recipes' data sets give
	 */
	public BatchLoader(final AnnotatedStack stack, final List<Integer> objects, final int passes,
		final ModelDescription description, final Augmentation augmentation, final int batchSize, final long seed,
		final boolean shuffle, final int threads)
	{
		this(new KeypointSamples(stack, description, augmentation), objects, passes, batchSize, seed, shuffle, threads);
	}

	/**
	 * @param indices the samples to draw, as {@code samples} knows them
	 * @param shuffle a new order every epoch (training), or the given order (validation)
	 * @param threads background threads; batches made ahead: twice as many
	 */
	public BatchLoader(final Samples samples, final List<Integer> indices, final int batchSize, final long seed,
		final boolean shuffle, final int threads)
	{
		this(samples, indices, 1, batchSize, seed, shuffle, threads);
	}

	private BatchLoader(final Samples samples, final List<Integer> indices, final int passes, final int batchSize,
		final long seed, final boolean shuffle, final int threads)
	{
		if (passes < 1) throw new IllegalArgumentException("passes " + passes);
		this.samples = samples;
		this.passes = passes;
		this.objects = List.copyOf(indices);
		this.batchSize = batchSize;
		this.seed = seed;
		this.shuffle = shuffle;
		this.ahead = 2 * Math.max(1, threads);
		this.workers = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
			final Thread thread = new Thread(runnable, "KeypointJ batch loader");
			thread.setDaemon(true);
			return thread;
		});
	}

	public int batchesPerEpoch() {
		return (objects.size() * passes + batchSize - 1) / batchSize;
	}

	/** The batches of one epoch, in order; the last may be smaller. */
	public Iterator<Batch> epoch(final int epoch) {
		final int[] order = order(epoch);
		return new Iterator<>() {

			private final Deque<Future<Batch>> pending = new ArrayDeque<>();
			private int submitted;

			@Override
			public boolean hasNext() {
				fill();
				return !pending.isEmpty();
			}

			@Override
			public Batch next() {
				if (!hasNext()) throw new NoSuchElementException();
				try {
					final Batch batch = pending.removeFirst().get();
					fill();
					return batch;
				}
				catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for a batch", e);
				}
				catch (final ExecutionException e) {
					if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
					throw new IllegalStateException(e.getCause());
				}
			}

			private void fill() {
				while (pending.size() < ahead && submitted < batchesPerEpoch()) {
					final int first = submitted++ * batchSize;
					pending.add(workers.submit(() -> makeBatch(order, first, epoch)));
				}
			}
		};
	}

	/** The order of the samples in an epoch: slots, each an object ({@code slot % objects}) in one of the passes. */
	int[] order(final int epoch) {
		final int[] order = new int[objects.size() * passes];
		for (int i = 0; i < order.length; i++) order[i] = i;
		if (!shuffle) return order;
		final Random random = new Random(mix(seed, epoch, -1));
		for (int i = order.length - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
		return order;
	}

	private Batch makeBatch(final int[] order, final int first, final int epoch) {
		final int size = Math.min(batchSize, order.length - first);
		final int inputSize = samples.inputSize();
		final int outputs = samples.targetSize();
		final float[] inputs = new float[size * inputSize];
		final float[] targets = new float[size * outputs];
		for (int b = 0; b < size; b++) {
			final int index = objects.get(order[first + b] % objects.size());
			final int pass = order[first + b] / objects.size();
			// one pass an epoch: the generator of (epoch, sample) as ever; more: each pass its own
			samples.make(index, new Random(mix(seed, epoch * passes + pass, index)), inputs, b * inputSize, targets,
				b * outputs);
		}
		return new Batch(inputs, targets, size);
	}

	/** Crops of the annotated objects with their keypoints, augmented: the keypoint networks' samples. */
	private static final class KeypointSamples implements Samples {

		private final AnnotatedStack stack;
		private final ModelDescription description;
		private final SampleAugmenter augmenter;
		private final Map<Long, SourcePlane> reduced = new ConcurrentHashMap<>();
		/**
		 * Without augmentation an object's sample is the same in every epoch: its input and targets, one after
		 * the other, kept after the first epoch so that later ones copy them (resampling NoseNet's 640x480
		 * plane into 80x60 took 166 us a sample, a sixth of its training step); null where the stack's samples
		 * would take more than {@link #keptBytes()}.
		 */
		private final Map<Integer, float[]> kept;

		KeypointSamples(final AnnotatedStack stack, final ModelDescription description, final Augmentation augmentation) {
			this.stack = stack;
			this.description = description;
			this.augmenter = new SampleAugmenter(description, augmentation);
			final long bytes = 4L * stack.objects().size() * (inputSize() + targetSize());
			this.kept = augmentation.isNone() && bytes <= keptBytes() ? new ConcurrentHashMap<>() : null;
		}

		/** At most an eighth of the Java heap, and 256 MB, for the samples kept. */
		private static long keptBytes() {
			return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
		}

		@Override
		public int inputSize() {
			return description.channels() * description.inputWidth() * description.inputHeight();
		}

		@Override
		public int targetSize() {
			return 2 * description.keypointCount();
		}

		@Override
		public void make(final int index, final Random random, final float[] inputs, final int inputOffset,
			final float[] targets, final int targetOffset)
		{
			final PlaneKeypoints object = stack.objects().get(index);
			if (kept == null) {
				augmenter.sample(source(object), object, random, inputs, inputOffset, targets, targetOffset);
				return;
			}
			final int inputSize = inputSize();
			final float[] sample = kept.computeIfAbsent(index, i -> {
				final float[] made = new float[inputSize + targetSize()];
				augmenter.sample(source(object), object, random, made, 0, made, inputSize);
				return made;
			});
			System.arraycopy(sample, 0, inputs, inputOffset, inputSize);
			System.arraycopy(sample, inputSize, targets, targetOffset, targetSize());
		}

		/**
		 * The plane to sample an object from. Reduced planes are kept: they are small (a quarter of the
		 * image at most) and the reduction would otherwise be repeated for every sample of every epoch.
		 */
		private SourcePlane source(final PlaneKeypoints object) {
			final int factor = SourcePlane.usefulFactor(augmenter.cropScale(object));
			final int plane = object.plane().stackIndex();
			if (factor == 1) return read(plane);
			return reduced.computeIfAbsent((long) plane << 8 | factor, key -> read(plane).reduce(factor));
		}

		private SourcePlane read(final int plane) {
			return SourcePlane.of(PlaneReader.read(stack.image(), plane, description.channels()), stack.image().getWidth(),
				stack.image().getHeight());
		}
	}

	/** A seed for (seed, epoch, sample) that differs in every part. */
	private static long mix(final long seed, final int epoch, final int sample) {
		long h = seed * 0x9E3779B97F4A7C15L + epoch;
		h = h * 0xBF58476D1CE4E5B9L + sample;
		return h ^ (h >>> 31);
	}

	@Override
	public void close() {
		workers.shutdownNow();
	}
}
