package io.github.keypointj.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.nio.file.Path;

/**
 * The report's filter figure: the kernels of a model's first convolution as a montage, each kernel
 * scaled to its own range (gray for one input channel, colour for three), enlarged for viewing.
 */
public final class FilterMontage {

	/** The largest montage made: 100 million pixels, 400 MB as 32-bit. */
	static final long MAX_PIXELS = 100_000_000L;

	private FilterMontage() {}

	/**
	 * Show Learned Filters without any user interface: the montage of the model in {@code file}, loaded
	 * on the CPU (its weights are read, not run).
	 */
	public static ImagePlus of(final Path file, final int zoom) {
		if (file == null) throw new KeypointException("model: no model file given.");
		try (KeypointModel model = ModelFile.load(file, Device.cpu())) {
			return of(model, zoom);
		}
	}

	public static ImagePlus of(final KeypointModel model, final int zoom) {
		final Block first = firstConvolution(model.block());
		if (first == null) throw new KeypointException("The model " + model.description().name() + " has no convolution.");
		final NDArray weight = first.getParameters().get("weight").getArray();
		final long[] shape = weight.getShape().getShape(); // out, in, kh, kw
		final int filters = (int) shape[0], channels = (int) shape[1], kh = (int) shape[2], kw = (int) shape[3];
		final float[] values = weight.toFloatArray();
		final int columns = (int) Math.ceil(Math.sqrt(filters));
		final int rows = (filters + columns - 1) / columns;
		// The montage's size decides its memory: refuse a zoom it cannot be made with, saying which fits.
		final int largestZoom = (int) Math.max(1, Math.sqrt((double) MAX_PIXELS / ((long) columns * kw * rows * kh)));
		if (zoom < 1 || zoom > largestZoom) {
			throw new KeypointException("zoom=" + zoom + " is not a factor from 1 to " + largestZoom + " for the " + filters +
				" filters of " + kw + "x" + kh + " (the montage would not fit in memory).");
		}
		final int cellW = kw * zoom + 2, cellH = kh * zoom + 2;
		final boolean color = channels == 3;
		final ImageProcessor montage = color ? new ColorProcessor(columns * cellW, rows * cellH)
			: new FloatProcessor(columns * cellW, rows * cellH);
		if (!color) {
			montage.setValue(Double.NaN);
			montage.fill();
		}
		for (int f = 0; f < filters; f++) {
			final int offset = f * channels * kh * kw;
			float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
			for (int i = 0; i < channels * kh * kw; i++) {
				min = Math.min(min, values[offset + i]);
				max = Math.max(max, values[offset + i]);
			}
			final float range = Math.max(max - min, 1e-12f);
			final int x0 = (f % columns) * cellW + 1, y0 = (f / columns) * cellH + 1;
			for (int y = 0; y < kh * zoom; y++) {
				for (int x = 0; x < kw * zoom; x++) {
					final int pixel = (y / zoom) * kw + x / zoom;
					if (color) {
						int rgb = 0;
						for (int c = 0; c < 3; c++) {
							final int v = Math.round(255 * (values[offset + c * kh * kw + pixel] - min) / range);
							rgb = (rgb << 8) | v;
						}
						montage.set(x0 + x, y0 + y, rgb);
					}
					else montage.setf(x0 + x, y0 + y, (values[offset + pixel] - min) / range);
				}
			}
		}
		if (!color) montage.setMinAndMax(0, 1);
		return new ImagePlus("First-layer filters of " + model.description().name() + " (" + filters + " of " + kh + "x" +
			kw + (color ? ", RGB" : "") + ")", montage);
	}

	private static Block firstConvolution(final Block block) {
		if (block instanceof Convolution) return block;
		for (final Pair<String, Block> child : block.getChildren()) {
			final Block found = firstConvolution(child.getValue());
			if (found != null) return found;
		}
		return null;
	}
}
