package io.github.keypointj.augment;

import io.github.keypointj.data.Augmentation;

import java.util.Random;

/** Photometric jitter of one sample in place, on intensities in [0, 1] (see {@link Augmentation}). */
final class ColorJitter {

	private ColorJitter() {}

	static void apply(final Augmentation augmentation, final Random random, final float[] data, final int offset,
		final int channels, final int width, final int planeSize)
	{
		final int end = offset + channels * planeSize;
		if (augmentation.brightness() != 0) {
			final float f = (float) (1 + Augmentation.uniform(random, augmentation.brightness()));
			for (int i = offset; i < end; i++) data[i] = clamp(data[i] * f);
		}
		if (augmentation.contrast() != 0) {
			final float f = (float) (1 + Augmentation.uniform(random, augmentation.contrast()));
			double sum = 0;
			for (int p = 0; p < planeSize; p++) sum += luma(data, offset, p, channels, planeSize);
			final float mean = (float) (sum / planeSize);
			for (int i = offset; i < end; i++) data[i] = clamp((data[i] - mean) * f + mean);
		}
		if (channels == 3 && augmentation.saturation() != 0) {
			final float f = (float) (1 + Augmentation.uniform(random, augmentation.saturation()));
			for (int p = 0; p < planeSize; p++) {
				final float gray = luma(data, offset, p, channels, planeSize);
				for (int c = 0; c < 3; c++) {
					final int i = offset + c * planeSize + p;
					data[i] = clamp((data[i] - gray) * f + gray);
				}
			}
		}
		if (channels == 3 && augmentation.grayscaleProbability() > 0 &&
			random.nextDouble() < augmentation.grayscaleProbability())
		{
			for (int p = 0; p < planeSize; p++) {
				final float gray = luma(data, offset, p, channels, planeSize);
				for (int c = 0; c < 3; c++) data[offset + c * planeSize + p] = gray;
			}
		}
		if (augmentation.blurProbability() > 0 && random.nextDouble() < augmentation.blurProbability()) {
			final int passes = 1 + random.nextInt(2);
			for (int c = 0; c < channels; c++) {
				for (int pass = 0; pass < passes; pass++) blur121(data, offset + c * planeSize, width, planeSize / width);
			}
		}
	}

	/** One pass of the separable [1 2 1] / 4 kernel over a plane, in place; edges repeat their pixel. */
	static void blur121(final float[] data, final int offset, final int width, final int height) {
		final float[] line = new float[Math.max(width, height)];
		for (int y = 0; y < height; y++) {
			final int row = offset + y * width;
			System.arraycopy(data, row, line, 0, width);
			for (int x = 0; x < width; x++) {
				data[row + x] = 0.25f * line[Math.max(0, x - 1)] + 0.5f * line[x] + 0.25f * line[Math.min(width - 1, x + 1)];
			}
		}
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) line[y] = data[offset + y * width + x];
			for (int y = 0; y < height; y++) {
				data[offset + y * width + x] = 0.25f * line[Math.max(0, y - 1)] + 0.5f * line[y] +
					0.25f * line[Math.min(height - 1, y + 1)];
			}
		}
	}

	/** 0.299 R + 0.587 G + 0.114 B, or the value itself for one channel. */
	private static float luma(final float[] data, final int offset, final int pixel, final int channels,
		final int planeSize)
	{
		if (channels != 3) return data[offset + pixel];
		return 0.299f * data[offset + pixel] + 0.587f * data[offset + planeSize + pixel] +
			0.114f * data[offset + 2 * planeSize + pixel];
	}

	private static float clamp(final float value) {
		return value < 0 ? 0 : value > 1 ? 1 : value;
	}
}
