package io.github.keypointj.data;

/**
 * One plane to sample from, possibly reduced: {@code factor} x {@code factor} blocks of the image
 * averaged into one pixel, so that large reductions (640x480 to 80x60) need few samples per input
 * pixel and still do not alias. Pixel j of a reduced plane covers image pixels [j f, (j + 1) f).
 *
 * @param channels intensities in [0, 1], one array per channel, {@code width x height} each
 * @param factor 1 for the image itself
 */
public record SourcePlane(float[][] channels, int width, int height, int factor) {

	public static SourcePlane of(final float[][] channels, final int width, final int height) {
		return new SourcePlane(channels, width, height, 1);
	}

	/** The factor worth reducing by for a transform that shrinks the image by {@code scale}: about half the scale. */
	public static int usefulFactor(final double scale) {
		return Math.max(1, (int) Math.floor(scale / 2 + 1e-9));
	}

	/** This plane (of factor 1) with blocks of {@code by x by} pixels averaged; partial blocks at the edges average what they hold. */
	public SourcePlane reduce(final int by) {
		if (by <= 1) return this;
		final int w = (width + by - 1) / by;
		final int h = (height + by - 1) / by;
		final float[][] reduced = new float[channels.length][w * h];
		for (int c = 0; c < channels.length; c++) {
			final float[] in = channels[c];
			final float[] out = reduced[c];
			for (int y = 0; y < h; y++) {
				final int y0 = y * by, y1 = Math.min(height, y0 + by);
				for (int x = 0; x < w; x++) {
					final int x0 = x * by, x1 = Math.min(width, x0 + by);
					float sum = 0;
					for (int yy = y0; yy < y1; yy++) {
						final int row = yy * width;
						for (int xx = x0; xx < x1; xx++) sum += in[row + xx];
					}
					out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
				}
			}
		}
		return new SourcePlane(reduced, w, h, factor * by);
	}
}
