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

	/** ImageNet statistics, as torchvision's ResNet expects (RGB). */
	public static Normalization imageNet() {
		return new Normalization(new float[] { 0.485f, 0.456f, 0.406f }, new float[] { 0.229f, 0.224f, 0.225f });
	}

	public int channels() {
		return mean.length;
	}
}
