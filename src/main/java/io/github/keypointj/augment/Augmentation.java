package io.github.keypointj.augment;

/**
 * The random changes made to each training sample. Geometry (one affine per sample, applied to pixels
 * and points alike): rotation in +-{@code rotationDegrees} about the input's centre, scale in
 * 1 +- {@code scale}, shift in +-{@code shift} of the input's size, and a horizontal flip with
 * probability {@code flipProbability} where the keypoints have a known mirror order. Colour, in this
 * order on intensities in [0, 1], each factor in 1 +- the amount and clamped after each step:
 * brightness ({@code x f}), contrast (about the mean luma), saturation (about each pixel's luma), then
 * grayscale with probability {@code grayscaleProbability}.
 */
public record Augmentation(double rotationDegrees, double scale, double shift, double flipProbability,
	double brightness, double contrast, double saturation, double grayscaleProbability)
{

	/** No change at all. */
	public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, 0, 0, 0);

	/** The report's face net: rotation +-15 degrees, shift +-10 px at 160x120, brightness and contrast +-30 %. */
	public static Augmentation faceNet() {
		return new Augmentation(15, 0, 10.0 / 160, 0, 0.3, 0.3, 0.3, 0);
	}

	/** The report's ResNet: rotation +-15 degrees, brightness, contrast and saturation +-30 %, grayscale 10 %. */
	public static Augmentation resNet() {
		return new Augmentation(15, 0, 0, 0, 0.3, 0.3, 0.3, 0.1);
	}

	/** The report's augmentation for an architecture: none for NoseNet. */
	public static Augmentation forArchitecture(final io.github.keypointj.nets.Architecture architecture) {
		switch (architecture) {
			case FACE_NET:
				return faceNet();
			case RESNET18:
				return resNet();
			default:
				return NONE;
		}
	}

	public boolean isNone() {
		return equals(NONE);
	}
}
