package io.github.keypointj.io;

import ij.ImagePlus;
import io.github.keypointj.AtomicFiles;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.PlaneKeypoints;

import java.awt.geom.Point2D;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The course's Kaggle submission: {@code Id,Predicted}, one row per coordinate, in original image
 * pixels, {@code Id = (entry x K + point) x 2 + (0 for x, 1 for y)} where entry is the object's index
 * in the test XML (kept by Import>Landmark Files in each plane's {@link CropOrigin}); a missing point's
 * cells are empty, as in the Kaggle facial-keypoints data.
 */
public final class KaggleCsv {

	private KaggleCsv() {}

	/** Refuses a stack whose planes cannot be mapped back to the test images. Call before predicting. */
	public static void requireImported(final ImagePlus stack) {
		origins(stack);
	}

	public static void write(final ImagePlus stack, final List<PlaneKeypoints> predictions, final Path file) {
		final List<CropOrigin> origins = origins(stack);
		final Map<Long, Double> rows = new TreeMap<>();
		for (final PlaneKeypoints object : predictions) {
			final CropOrigin origin = origins.get(object.plane().stackIndex() - 1);
			for (int k = 0; k < object.count(); k++) {
				final Point2D original = origin.toOriginal(object.x()[k], object.y()[k]);
				final long id = ((long) origin.entry() * object.count() + k) * 2;
				rows.put(id, original.getX());
				rows.put(id + 1, original.getY());
			}
		}
		// whole or not at all: a file a user already has is never left half written
		try {
			AtomicFiles.write(file, ".csv", temporary -> {
				try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
					out.write("Id,Predicted");
					out.newLine();
					for (final Map.Entry<Long, Double> row : rows.entrySet()) {
						out.write(row.getKey() + "," + KeypointCsv.number(row.getValue()));
						out.newLine();
					}
				}
			});
		}
		catch (final IOException e) {
			throw new KeypointException("Could not write " + file + ": " + e.getMessage(), e);
		}
	}

	private static List<CropOrigin> origins(final ImagePlus stack) {
		final List<CropOrigin> origins = CropOrigin.read(stack);
		if (origins.isEmpty()) {
			throw new KeypointException("'" + stack.getTitle() + "' was not imported with Import>Landmark Files, so its " +
				"planes cannot be mapped back to the test images.");
		}
		return origins;
	}
}
