package io.github.keypointj.io;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up data set files for importer tests: images with a bright dot under each annotated point. */
public final class DatasetFiles {

	private DatasetFiles() {}

	/** An IMM-style face: {@code name.png} and {@code name.asf} with the points in relative coordinates. */
	public static void immFace(final Path folder, final String name, final int width, final int height,
		final boolean rgb, final int points, final long seed) throws IOException
	{
		final Random random = new Random(seed);
		final ImageProcessor image = blank(width, height, rgb);
		final List<String> asf = new ArrayList<>(List.of("######", "# AAM Shape File", "######", "", String.valueOf(points),
			"", "# format: <path#> <type> <x rel.> <y rel.> <point#> <connects from> <connects to>"));
		final double radius = Math.max(3, width / 80.0);
		for (int k = 0; k < points; k++) {
			final double rx = 0.1 + 0.8 * random.nextDouble();
			final double ry = 0.1 + 0.8 * random.nextDouble();
			image.fillOval((int) Math.round(rx * width - radius), (int) Math.round(ry * height - radius),
				(int) Math.round(2 * radius), (int) Math.round(2 * radius));
			asf.add("0 \t4 \t" + rx + " \t" + ry + " \t" + k + " \t0 \t0");
		}
		asf.addAll(List.of("", "# host image", name + ".png"));
		Files.write(folder.resolve(name + ".asf"), asf);
		new FileSaver(new ImagePlus(name, image)).saveAsPng(folder.resolve(name + ".png").toString());
	}

	/** A 300-W-style face: {@code name.png} and {@code name.pts} (1-based); returns the points in ImageJ coordinates. */
	public static double[][] ptsFace(final Path folder, final String name, final int width, final int height,
		final boolean rgb, final int points, final long seed) throws IOException
	{
		final Random random = new Random(seed);
		final ImageProcessor image = blank(width, height, rgb);
		final double[][] xy = new double[2][points];
		final List<String> pts = new ArrayList<>(List.of("version: 1", "n_points:  " + points, "{"));
		for (int k = 0; k < points; k++) {
			xy[0][k] = width * (0.3 + 0.4 * random.nextDouble());
			xy[1][k] = height * (0.3 + 0.4 * random.nextDouble());
			image.fillOval((int) Math.round(xy[0][k] - 4), (int) Math.round(xy[1][k] - 4), 9, 9);
			pts.add((xy[0][k] + 1) + " " + (xy[1][k] + 1));
		}
		pts.add("}");
		Files.write(folder.resolve(name + ".pts"), pts);
		new FileSaver(new ImagePlus(name, image)).saveAsPng(folder.resolve(name + ".png").toString());
		return xy;
	}

	private static ImageProcessor blank(final int width, final int height, final boolean rgb) {
		final ImageProcessor image = rgb ? new ColorProcessor(width, height) : new ByteProcessor(width, height);
		image.setColor(rgb ? 0x202020 : 32);
		image.fill();
		image.setColor(rgb ? 0xffffff : 255);
		return image;
	}
}
