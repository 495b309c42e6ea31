package io.github.keypointj.data;

import java.util.Random;

/**
 * The random changes made to each training sample. Geometry (one affine per sample, applied to pixels
 * and points alike): rotation in +-{@code rotationDegrees} about the input's centre, scale in
 * 1 +- {@code scale}, shift in +-{@code shift} of the input's size, and a horizontal flip with
 * probability {@code flipProbability} where the keypoints have a known mirror order. Colour, in this
 * order on intensities in [0, 1], each factor in 1 +- the amount and clamped after each step:
 * brightness ({@code x f}), contrast (about the mean luma), saturation (about each pixel's luma), then
 * grayscale with probability {@code grayscaleProbability}; last, with probability {@code blurProbability},
 * a blur of one or two passes of the [1 2 1] / 4 kernel (as out-of-focus or downscaled photos look).
 */
public record Augmentation(double rotationDegrees, double scale, double shift, double flipProbability,
	double brightness, double contrast, double saturation, double grayscaleProbability, double blurProbability)
{

	/** No change at all. */
	public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, 0, 0, 0, 0);

	/** The report's face net: rotation +-15 degrees, shift +-10 px at 160x120, brightness and contrast +-30 %. */
	public static Augmentation faceNet() {
		return new Augmentation(15, 0, 10.0 / 160, 0, 0.3, 0.3, 0.3, 0, 0);
	}

	/** The report's ResNet: rotation +-15 degrees, brightness, contrast and saturation +-30 %, grayscale 10 %. */
	public static Augmentation resNet() {
		return new Augmentation(15, 0, 0, 0, 0.3, 0.3, 0.3, 0.1, 0);
	}

	/**
	 * Faces in the wild, for the heatmap network: rotation +-30 degrees, scale +-25 %, shift +-10 % of the
	 * input (about 15 % of the box), mirror images half the time, brightness, contrast and saturation
	 * +-30 %, grayscale 20 %, blur 20 %.
	 */
	public static Augmentation wild() {
		return new Augmentation(30, 0.25, 0.1, 0.5, 0.3, 0.3, 0.3, 0.2, 0.2);
	}

	/** Uniform in [-amount, amount]; no draw at all for 0, so turning one change off leaves the others' draws. */
	public static double uniform(final Random random, final double amount) {
		return amount == 0 ? 0 : (2 * random.nextDouble() - 1) * amount;
	}

	public boolean isNone() {
		return equals(NONE);
	}
}
