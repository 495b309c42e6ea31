package io.github.keypointj.model;

/**
 * How intensities, first scaled to [0, 1], become network inputs: {@code (v - mean[c]) / std[c]} per
 * channel.
 *
 * @param mean per channel
 * @param std per channel
 */
public record Normalization(float[] mean, float[] std) {

	/** The report's gray nets: v - 0.5. */
	public static Normalization centered(final int channels) {
		final float[] mean = new float[channels];
		final float[] std = new float[channels];
		java.util.Arrays.fill(mean, 0.5f);
		java.util.Arrays.fill(std, 1f);
		return new Normalization(mean, std);
	}

	/** No change: intensities in [0, 1] as they are. */
	public static Normalization identity(final int channels) {
		final float[] std = new float[channels];
		java.util.Arrays.fill(std, 1f);
		return new Normalization(new float[channels], std);
	}

	/** ImageNet statistics, as torchvision's ResNet expects (RGB). */
	public static Normalization imageNet() {
		return new Normalization(new float[] { 0.485f, 0.456f, 0.406f }, new float[] { 0.229f, 0.224f, 0.225f });
	}

	/** Normalises one C x H x W input in place, at {@code offset}, each plane {@code planeSize} values long. */
	public void normalize(final float[] data, final int offset, final int planeSize) {
		for (int c = 0; c < mean.length; c++) {
			final float m = mean[c];
			final float s = std[c];
			final int start = offset + c * planeSize;
			for (int i = start; i < start + planeSize; i++) data[i] = (data[i] - m) / s;
		}
	}

	public int channels() {
		return mean.length;
	}
}
