package io.github.keypointj.data;

/**
 * The one coordinate rule between pixels and fractions of an extent. ImageJ puts the centre of pixel i
 * at i, so an image of {@code extent} pixels spans [-0.5, extent - 0.5]; as a fraction of the extent
 * (what networks predict, and the IMM files store) that is [0, 1]: {@code t = (x + 0.5) / extent}.
 */
public final class PixelCoordinates {

	private PixelCoordinates() {}

	/** A pixel coordinate as a fraction of {@code extent}. */
	public static double toFraction(final double pixel, final int extent) {
		return (pixel + 0.5) / extent;
	}

	/** A fraction of {@code extent} as a pixel coordinate. */
	public static double toPixel(final double fraction, final int extent) {
		return fraction * extent - 0.5;
	}
}
