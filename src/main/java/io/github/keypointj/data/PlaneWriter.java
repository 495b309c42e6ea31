package io.github.keypointj.data;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** The way back from {@link PlaneReader}: C x H x W values in [0, 1] as an 8-bit (C = 1) or RGB (C = 3) plane. */
public final class PlaneWriter {

	private PlaneWriter() {}

	public static ImageProcessor toProcessor(final float[] values, final int width, final int height, final int channels) {
		final int n = width * height;
		if (channels == 1) {
			final ByteProcessor gray = new ByteProcessor(width, height);
			for (int i = 0; i < n; i++) gray.set(i, toByte(values[i]));
			return gray;
		}
		final ColorProcessor color = new ColorProcessor(width, height);
		for (int i = 0; i < n; i++) {
			color.set(i, (toByte(values[i]) << 16) | (toByte(values[n + i]) << 8) | toByte(values[2 * n + i]));
		}
		return color;
	}

	private static int toByte(final float value) {
		return Math.max(0, Math.min(255, Math.round(value * 255)));
	}
}
