package io.github.keypointj.data;

import ij.ImagePlus;

import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a plane of an imported stack was cut from: the original image file and the crop, which was
 * resampled to {@code size x size}. Kept with the stack (an image property, saved in TIFF) so that
 * points on the plane can be mapped back to the original image.
 *
 * @param file the original image's file name
 * @param crop the cropped region of the original, in area coordinates
 * @param size the side of the plane
 * @param entry the object's 0-based index in its source (e.g. the XML's order), kept for exports that
 *        number objects that way
 */
public record CropOrigin(String file, CropBox crop, int size, int entry) {

	/** Image property holding one line per plane: plane, file, x, y, width, height, size, entry (tab-separated). */
	public static final String PROPERTY = "KeypointJ crops";

	/** A point of the plane (pixel centres at integers) in the original image's pixel coordinates. */
	public Point2D toOriginal(final double x, final double y) {
		return crop.inputToImage(size, size).transform(new Point2D.Double(x, y), null);
	}

	public static void store(final ImagePlus image, final List<CropOrigin> origins) {
		final StringBuilder text = new StringBuilder();
		for (int i = 0; i < origins.size(); i++) {
			final CropOrigin o = origins.get(i);
			text.append(i + 1).append('\t').append(o.file.replace('\t', ' ')).append('\t').append(o.crop.x()).append('\t')
				.append(o.crop.y()).append('\t').append(o.crop.width()).append('\t').append(o.crop.height()).append('\t')
				.append(o.size).append('\t').append(o.entry).append('\n');
		}
		image.setProp(PROPERTY, text.toString());
	}

	/** The origin of each plane (index 0 = plane 1), or an empty list when the stack was not cut from images. */
	public static List<CropOrigin> read(final ImagePlus image) {
		final String text = image.getProp(PROPERTY);
		if (text == null || text.isBlank()) return List.of();
		final CropOrigin[] origins = new CropOrigin[image.getStackSize()];
		for (final String line : text.split("\n")) {
			final String[] f = line.split("\t");
			if (f.length < 7) continue;
			final int plane = Integer.parseInt(f[0].trim());
			if (plane < 1 || plane > origins.length) continue;
			origins[plane - 1] = new CropOrigin(f[1], new CropBox(Double.parseDouble(f[2]), Double.parseDouble(f[3]),
				Double.parseDouble(f[4]), Double.parseDouble(f[5])), Integer.parseInt(f[6].trim()),
				f.length > 7 ? Integer.parseInt(f[7].trim()) : plane - 1);
		}
		return new ArrayList<>(Arrays.asList(origins));
	}
}
