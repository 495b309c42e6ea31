package io.github.keypointj.data;

/**
 * How a network input is cut from an image around an object's box.
 *
 * @param fromBox whether the model was trained on crops around boxes; if not, a region is stretched to
 *        the input as it is
 * @param boxScale for box crops: the side of the square crop as a multiple of the box's longer side
 */
public record CropRecipe(boolean fromBox, double boxScale) {

	/** The whole image (or the given region) stretched to the input, as the IMM nets were trained. */
	public static CropRecipe wholeRegion() {
		return new CropRecipe(false, 1);
	}

	/** A square of {@code scale} times the box's longer side, centred on the box (300-W style). */
	public static CropRecipe squareAroundBox(final double scale) {
		return new CropRecipe(true, scale);
	}
}
