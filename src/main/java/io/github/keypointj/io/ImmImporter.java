package io.github.keypointj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PixelCoordinates;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IMM Face Database: a folder of images with AAM shape files (.asf) of 58 points in relative
 * coordinates. Makes one 640x480 stack (images of other sizes are resized; the points are relative),
 * slice labels = file names, 58 keypoints per plane.
 */
public final class ImmImporter {

	public static final int POINTS = 58;
	public static final int WIDTH = 640;
	public static final int HEIGHT = 480;

	private ImmImporter() {}

	public static ImportResult read(final Path folder, final boolean rgb, final Progress progress) {
		final List<Path> images;
		try {
			images = ImageFiles.list(folder);
		}
		catch (final IOException e) {
			throw new KeypointException("Cannot read the folder " + folder + ": " + e.getMessage(), e);
		}
		final ImageStack stack = new ImageStack(WIDTH, HEIGHT);
		final List<double[][]> points = new ArrayList<>();
		final List<String> skipped = new ArrayList<>();
		for (int i = 0; i < images.size() && !progress.isCanceled(); i++) {
			final Path file = images.get(i);
			progress.report("Importing IMM faces", i + 1, images.size());
			final Path asf = file.resolveSibling(ImageFiles.baseName(file) + ".asf");
			if (!Files.exists(asf)) {
				skipped.add(file.getFileName() + ": no " + asf.getFileName());
				continue;
			}
			final double[][] relative;
			try {
				relative = readAsf(asf);
			}
			catch (final KeypointException e) {
				skipped.add(e.getMessage());
				continue;
			}
			final String implausible = PlaneKeypoints.implausibility(pixels(relative, 0, WIDTH), pixels(relative, 1, HEIGHT),
				WIDTH, HEIGHT);
			if (implausible != null) {
				skipped.add(asf.getFileName() + ": " + implausible);
				continue;
			}
			final ImagePlus image = ImageFiles.open(file);
			if (image == null) {
				skipped.add(file.getFileName() + ": not an image ImageJ can read");
				continue;
			}
			ImageProcessor plane = ImageFiles.convert(image, rgb);
			if (plane.getWidth() != WIDTH || plane.getHeight() != HEIGHT) {
				plane.setInterpolationMethod(ImageProcessor.BILINEAR);
				plane = plane.resize(WIDTH, HEIGHT, true);
			}
			stack.addSlice(file.getFileName().toString(), plane);
			points.add(relative);
		}
		if (stack.getSize() == 0) {
			throw new KeypointException("No IMM faces in " + folder + ": it needs images with .asf files of the same name" +
				(skipped.isEmpty() ? "." : " (" + String.join("; ", skipped) + ")."));
		}
		final ImagePlus result = new ImagePlus(folder.getFileName() + " (IMM)", stack);
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (int i = 0; i < points.size(); i++) {
			objects.add(new PlaneKeypoints(PlanePosition.of(result, i + 1), CropBox.wholeImage(WIDTH, HEIGHT),
				pixels(points.get(i), 0, WIDTH), pixels(points.get(i), 1, HEIGHT)));
		}
		AnnotatedStack.annotate(result, objects, AnnotatedStack.numberedNames(POINTS), MirrorOrder.IMM_58);
		return new ImportResult(result, skipped);
	}

	/**
	 * One coordinate of every point in pixels: relative coordinates cover the image's extent (area
	 * coordinate r * size), and pixel centres lie at r * size - 0.5.
	 */
	private static double[] pixels(final double[][] relative, final int axis, final int size) {
		final double[] pixels = new double[relative.length];
		for (int k = 0; k < relative.length; k++) pixels[k] = PixelCoordinates.toPixel(relative[k][axis], size);
		return pixels;
	}

	/**
	 * Reads the relative (x, y) of the 58 points of an .asf file.
	 *
	 * @throws KeypointException naming the file when it is truncated or has another number of points
	 */
	public static double[][] readAsf(final Path asf) {
		final List<String> lines = ImageFiles.readLines(asf);
		int declared = -1;
		final List<double[]> points = new ArrayList<>();
		for (final String raw : lines) {
			final String line = raw.trim();
			if (line.isEmpty() || line.startsWith("#")) continue;
			final String[] fields = line.split("\\s+");
			if (declared < 0 && fields.length == 1) {
				declared = parseCount(fields[0], asf);
			}
			else if (fields.length >= 7) { // some files add three user fields
				try {
					points.add(new double[] { Double.parseDouble(fields[2]), Double.parseDouble(fields[3]) });
				}
				catch (final NumberFormatException e) {
					throw new KeypointException(asf.getFileName() + ": a point line is not numbers: '" + line + "'");
				}
			}
		}
		if (declared >= 0 && declared != points.size()) {
			throw new KeypointException(asf.getFileName() + ": declares " + declared + " points but holds " + points.size() +
				" (truncated?)");
		}
		if (points.size() != POINTS) {
			throw new KeypointException(asf.getFileName() + ": " + points.size() + " points, expected " + POINTS);
		}
		return points.toArray(new double[0][]);
	}

	private static int parseCount(final String text, final Path asf) {
		try {
			return Integer.parseInt(text);
		}
		catch (final NumberFormatException e) {
			return -1; // the host image name also stands alone on a line
		}
	}
}
