package io.github.keypointj.data;


import ij.gui.Roi;

import java.awt.geom.Rectangle2D;
import java.awt.geom.AffineTransform;

/**
 * A rectangle of an image that becomes a network input, in area coordinates: an image of width W
 * spans [0, W], so pixel column i covers [i, i + 1).
 */
public record CropBox(double x, double y, double width, double height) {

	/** A ROI's box, with its sub-pixel bounds (a box imported into a crop rarely falls on whole pixels). */
	public static CropBox of(final Roi roi) {
		final Rectangle2D bounds = roi.getFloatBounds();
		return new CropBox(bounds.getX(), bounds.getY(), bounds.getWidth(), bounds.getHeight());
	}

	public static CropBox wholeImage(final int width, final int height) {
		return new CropBox(0, 0, width, height);
	}

	/**
	 * The tight box of points (image pixel coordinates), in area coordinates: each point covers its pixel.
	 * Missing points (NaN) are left out.
	 */
	public static CropBox around(final double[] x, final double[] y) {
		double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
		for (int i = 0; i < x.length; i++) {
			if (!PlaneKeypoints.isLabelled(x[i], y[i])) continue;
			minX = Math.min(minX, x[i]);
			maxX = Math.max(maxX, x[i]);
			minY = Math.min(minY, y[i]);
			maxY = Math.max(maxY, y[i]);
		}
		return new CropBox(minX + 0.5, minY + 0.5, maxX - minX, maxY - minY);
	}

	/** The largest distance between corresponding corners of two boxes, in pixels. */
	public double distance(final CropBox other) {
		return Math.max(Math.max(Math.abs(x - other.x), Math.abs(y - other.y)),
			Math.max(Math.abs(x + width - other.x - other.width), Math.abs(y + height - other.y - other.height)));
	}

	/** This box grown (or shrunk) {@code factor} times about its centre. */
	public CropBox scaled(final double factor) {
		final double w = width * factor, h = height * factor;
		return new CropBox(x + (width - w) / 2, y + (height - h) / 2, w, h);
	}

	/** The crop the model was trained on for an object in {@code box}. */
	public static CropBox forObject(final CropBox box, final CropRecipe recipe) {
		if (!recipe.fromBox()) return box;
		final double side = recipe.boxScale() * Math.max(box.width, box.height);
		final double centerX = box.x + box.width / 2;
		final double centerY = box.y + box.height / 2;
		return new CropBox(centerX - side / 2, centerY - side / 2, side, side);
	}

	/** This box in the coordinates of {@code crop} resampled to {@code width x height} (area coordinates both). */
	public CropBox relativeTo(final CropBox crop, final int width, final int height) {
		final double scaleX = width / crop.width;
		final double scaleY = height / crop.height;
		return new CropBox((x - crop.x) * scaleX, (y - crop.y) * scaleY, this.width * scaleX, this.height * scaleY);
	}

	/**
	 * Maps input pixel coordinates of an {@code inputWidth x inputHeight} network input to image pixel
	 * coordinates (both with pixel centres at integers): the one transform for pixels and points.
	 */
	public AffineTransform inputToImage(final int inputWidth, final int inputHeight) {
		final double scaleX = width / inputWidth;
		final double scaleY = height / inputHeight;
		// x_image = x + (x_input + 0.5) * scaleX - 0.5
		final AffineTransform transform = new AffineTransform();
		transform.translate(x - 0.5, y - 0.5);
		transform.scale(scaleX, scaleY);
		transform.translate(0.5, 0.5);
		return transform;
	}
}
