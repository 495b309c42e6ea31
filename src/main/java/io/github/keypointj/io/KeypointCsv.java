package io.github.keypointj.io;

import ij.ImagePlus;
import io.github.keypointj.AtomicFiles;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.awt.geom.Point2D;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keypoints as CSV, one row per point: {@code slice,label,point,name,x,y} in image pixel coordinates
 * (pixel centres at integers, point from 0), and for stacks cut from images optionally
 * {@code file,x_original,y_original}; a point missing on a plane has empty coordinates.
 */
public final class KeypointCsv {

	public static final String HEADER = "slice,label,point,name,x,y";
	public static final String ORIGINAL_COLUMNS = ",file,x_original,y_original";

	private KeypointCsv() {}

	public static void write(final ImagePlus image, final List<PlaneKeypoints> objects, final List<String> names,
		final boolean originalCoordinates, final Path file)
	{
		final List<CropOrigin> origins = originalCoordinates ? CropOrigin.read(image) : List.of();
		if (originalCoordinates && origins.isEmpty()) {
			throw new KeypointException("'" + image.getTitle() + "' was not cut from other images (no " + CropOrigin.PROPERTY +
				"), so it has no original coordinates.");
		}
		// whole or not at all: a file a user already has is never left half written
		try {
			AtomicFiles.write(file, ".csv", temporary -> {
				try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
					out.write(HEADER + (originalCoordinates ? ORIGINAL_COLUMNS : ""));
					out.newLine();
					for (final PlaneKeypoints object : objects) {
						final int slice = object.plane().stackIndex();
						final String label = image.getStack().getSliceLabel(slice);
						final CropOrigin origin = originalCoordinates ? origins.get(slice - 1) : null;
						for (int k = 0; k < object.count(); k++) {
							out.write(slice + "," + quote(label == null ? "" : label) + "," + k + "," + quote(names.get(k)) + "," +
								number(object.x()[k]) + "," + number(object.y()[k]));
							if (originalCoordinates) {
								if (origin == null) out.write(",,,");
								else {
									final Point2D original = origin.toOriginal(object.x()[k], object.y()[k]);
									out.write("," + quote(origin.file()) + "," + number(original.getX()) + "," + number(original.getY()));
								}
							}
							out.newLine();
						}
					}
				}
			});
		}
		catch (final IOException e) {
			throw new KeypointException("Could not write " + file + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Reads points written by {@link #write} (or by hand) as annotations of {@code image}'s planes.
	 *
	 * @return the objects (one per slice, points in point order) and the keypoint names
	 * @throws KeypointException naming the file and line of a bad row
	 */
	public static AnnotatedStack read(final Path file, final ImagePlus image) {
		final List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (final IOException e) {
			throw new KeypointException("Could not read " + file + ": " + e.getMessage(), e);
		}
		// Excel and Notepad save UTF-8 with a byte order mark, which Java keeps as the first character
		if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) lines.set(0, lines.get(0).substring(1));
		if (lines.isEmpty() || !lines.get(0).trim().toLowerCase(Locale.ROOT).startsWith(HEADER)) {
			throw new KeypointException(file.getFileName() + " does not start with the header '" + HEADER + "'.");
		}
		final Map<Integer, Map<Integer, double[]>> bySlice = new TreeMap<>();
		final Map<Integer, String> names = new TreeMap<>();
		for (int n = 1; n < lines.size(); n++) {
			if (lines.get(n).isBlank()) continue;
			final List<String> fields = fields(lines.get(n));
			try {
				final int slice = Integer.parseInt(fields.get(0).trim());
				final int point = Integer.parseInt(fields.get(2).trim());
				if (slice < 1 || slice > image.getStackSize()) {
					throw new KeypointException(file.getFileName() + ", line " + (n + 1) + ": slice " + slice + " is not in '" +
						image.getTitle() + "' (1-" + image.getStackSize() + ").");
				}
				if (point < 0) throw new NumberFormatException("negative point index");
				final double[] xy = { Double.parseDouble(fields.get(4)), Double.parseDouble(fields.get(5)) };
				if (PlaneKeypoints.implausibility(new double[] { xy[0] }, new double[] { xy[1] }, image.getWidth(),
					image.getHeight()) != null)
				{
					throw new KeypointException(file.getFileName() + ", line " + (n + 1) + ": (" + xy[0] + ", " + xy[1] +
						") is no point of the " + image.getWidth() + "x" + image.getHeight() + " image; nothing was imported.");
				}
				bySlice.computeIfAbsent(slice, k -> new TreeMap<>()).put(point, xy);
				names.putIfAbsent(point, fields.get(3));
			}
			catch (final NumberFormatException | IndexOutOfBoundsException e) {
				throw new KeypointException(file.getFileName() + ", line " + (n + 1) + ": expected " + HEADER + ", got '" +
					lines.get(n) + "'.");
			}
		}
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (final Map.Entry<Integer, Map<Integer, double[]>> slice : bySlice.entrySet()) {
			final double[] x = new double[slice.getValue().size()];
			final double[] y = new double[x.length];
			int i = 0;
			for (final double[] xy : slice.getValue().values()) {
				x[i] = xy[0];
				y[i++] = xy[1];
			}
			objects.add(new PlaneKeypoints(PlanePosition.of(image, slice.getKey()),
				CropBox.wholeImage(image.getWidth(), image.getHeight()), x, y));
		}
		return new AnnotatedStack(image, objects, new ArrayList<>(names.values()),
			image.getStackSize() - objects.size(), null); // a CSV declares no mirror pairs
	}

	/**
	 * Import>Keypoints from CSV without any user interface: {@link #read}s the file and adds its points to
	 * the annotations of {@code image}. Planes the file has points for that are annotated already are
	 * refused, or with {@code replaceExisting} their annotations replaced; the other planes keep theirs.
	 * Nothing changes when it fails.
	 *
	 * @return what was read
	 */
	public static AnnotatedStack importInto(final ImagePlus image, final Path file, final boolean replaceExisting) {
		Images.requireOpen(image);
		if (file == null || !Files.isRegularFile(file)) throw new KeypointException("csv_file: '" + file + "' is not a file.");
		final AnnotatedStack read = read(file, image);
		final Set<Integer> clash = new TreeSet<>(AnnotatedStack.annotatedPlanes(image));
		clash.retainAll(read.objects().stream().map(o -> o.plane().stackIndex()).toList());
		if (!clash.isEmpty() && !replaceExisting) {
			throw new KeypointException("'" + image.getTitle() + "' already has annotations on plane(s) " + clash +
				"; set replace_existing=true to replace them.");
		}
		AnnotatedStack.removeAnnotations(image, clash);
		AnnotatedStack.annotate(image, read.objects(), read.keypointNames(), read.mirror());
		return read;
	}

	/** A coordinate's cell: empty for a missing point (NaN), as DeepLabCut and Kaggle write them. */
	static String number(final double value) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
	}

	private static String quote(final String text) {
		return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
	}

	/** The fields of one CSV line; quoted fields may hold commas and doubled quotes (as ImageJ writes them). */
	public static List<String> fields(final String line) {
		final List<String> fields = new ArrayList<>();
		final StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') quoted = false;
				else field.append(c);
			}
			else if (c == '"') quoted = true;
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
			}
			else field.append(c);
		}
		fields.add(field.toString());
		return fields;
	}
}
