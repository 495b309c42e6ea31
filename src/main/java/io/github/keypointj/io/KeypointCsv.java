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
import java.util.Arrays;
import java.util.Collections;
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
						final String label = Images.planeLabel(image, slice);
						final CropOrigin origin = originalCoordinates ? origins.get(slice - 1) : null;
						for (int k = 0; k < object.count(); k++) {
							out.write(slice + "," + quote(label) + "," + k + "," + quote(names.get(k)) + "," +
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
	 * Reads points written by {@link #write} (or by hand, or converted from another tool) as annotations of
	 * {@code image}'s planes. Slices count from 1, points from 0. A point without coordinates (empty cells,
	 * NaN, or no row for it while the plane has rows for others) is missing: an occluded point, NaN in
	 * its slot. Where rows give a label it must be the plane's: points are placed by label when the slice
	 * numbers disagree and every label names one plane, else refused, naming the rows that disagree.
	 *
	 * @return the objects (one per slice, points in point order) and the keypoint names
	 * @throws KeypointException naming the file and line of a bad row
	 */
	public static AnnotatedStack read(final Path file, final ImagePlus image) {
		return readRows(file, image).stack();
	}

	/** What {@link #read} read, and how its rows were placed on the planes. */
	public record Read(AnnotatedStack stack, int placedByLabel, boolean labelsChecked) {}

	private record Row(int line, int slice, String label, int point, String name, double x, double y) {}

	private static Read readRows(final Path file, final ImagePlus image) {
		final List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (final IOException e) {
			throw new KeypointException("Could not read " + file + ": " + e.getMessage(), e);
		}
		// Excel and Notepad save UTF-8 with a byte order mark, which Java keeps as the first character
		if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) lines.set(0, lines.get(0).substring(1));
		final String name = file.getFileName().toString();
		if (lines.isEmpty() || !lines.get(0).trim().toLowerCase(Locale.ROOT).startsWith(HEADER)) {
			throw new KeypointException(name + " does not start with the header '" + HEADER + "'.");
		}
		final List<Row> rows = new ArrayList<>();
		for (int n = 1; n < lines.size(); n++) {
			if (lines.get(n).isBlank()) continue;
			final List<String> fields = fields(lines.get(n));
			try {
				final int slice = Integer.parseInt(fields.get(0).trim());
				final int point = Integer.parseInt(fields.get(2).trim());
				if (point < 0) throw new NumberFormatException("negative point index");
				final Row row = new Row(n + 1, slice, fields.get(1).trim(), point, fields.get(3), coordinate(fields.get(4)),
					coordinate(fields.get(5)));
				if (Double.isNaN(row.x) != Double.isNaN(row.y)) {
					throw new KeypointException(name + ", line " + row.line + ": point " + point + " has only one coordinate; " +
						"give both, or leave both empty for a point that is not visible.");
				}
				rows.add(row);
			}
			catch (final NumberFormatException | IndexOutOfBoundsException e) {
				throw new KeypointException(name + ", line " + (n + 1) + ": expected " + HEADER + ", got '" + lines.get(n) +
					"' (slice counts from 1, point from 0; x and y empty or NaN for a point that is not visible).");
			}
		}
		final boolean labelsChecked = hasLabels(image) && rows.stream().anyMatch(row -> !row.label.isEmpty());
		final Map<Integer, Integer> byLabel = labelsChecked ? placeByLabel(rows, image, name) : Map.of();
		final Map<Integer, Map<Integer, double[]>> bySlice = new TreeMap<>();
		final Map<Integer, String> names = new TreeMap<>();
		for (final Row row : rows) {
			final int slice = byLabel.getOrDefault(row.line, row.slice);
			if (slice < 1 || slice > image.getStackSize()) throw outsideStack(name, row, rows, image);
			if (!Double.isNaN(row.x) && PlaneKeypoints.implausibility(new double[] { row.x }, new double[] { row.y },
				image.getWidth(), image.getHeight()) != null)
			{
				throw new KeypointException(name + ", line " + row.line + ": (" + row.x + ", " + row.y + ") is no point of the " +
					image.getWidth() + "x" + image.getHeight() + " image; nothing was imported.");
			}
			if (bySlice.computeIfAbsent(slice, k -> new TreeMap<>()).put(row.point, new double[] { row.x, row.y }) != null) {
				throw new KeypointException(name + ", line " + row.line + ": slice " + slice + " has point " + row.point +
					" twice; nothing was imported.");
			}
			names.putIfAbsent(row.point, row.name);
		}
		// Slots without a row are missing points: the next point stays in its own slot.
		final int count = names.isEmpty() ? 0 : Collections.max(names.keySet()) + 1;
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (final Map.Entry<Integer, Map<Integer, double[]>> slice : bySlice.entrySet()) {
			final double[] x = new double[count];
			final double[] y = new double[count];
			Arrays.fill(x, Double.NaN);
			Arrays.fill(y, Double.NaN);
			slice.getValue().forEach((point, xy) -> {
				x[point] = xy[0];
				y[point] = xy[1];
			});
			// A plane whose points are all missing has no annotation (nothing in view to learn).
			if (Arrays.stream(x).allMatch(Double::isNaN)) continue;
			objects.add(new PlaneKeypoints(PlanePosition.of(image, slice.getKey()),
				CropBox.wholeImage(image.getWidth(), image.getHeight()), x, y));
		}
		final List<String> keypointNames = new ArrayList<>();
		for (int k = 0; k < count; k++) keypointNames.add(names.getOrDefault(k, "point " + (k + 1)));
		final int placedByLabel = (int) rows.stream().filter(row -> byLabel.getOrDefault(row.line, row.slice) != row.slice)
			.map(row -> row.slice).distinct().count();
		return new Read(new AnnotatedStack(image, objects, keypointNames, image.getStackSize() - objects.size(), null),
			placedByLabel, labelsChecked); // a CSV declares no mirror pairs
	}

	/** A coordinate cell: a number, or empty / NaN for a point that is not visible (DeepLabCut writes either). */
	private static double coordinate(final String cell) {
		final String text = cell.trim();
		return text.isEmpty() || text.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(text);
	}

	private static boolean hasLabels(final ImagePlus image) {
		for (int slice = 1; slice <= image.getStackSize(); slice++) if (!Images.planeLabel(image, slice).isEmpty()) return true;
		return false;
	}

	/**
	 * The plane of each labelled row (by line) whose label is not its slice's. Empty when every label
	 * matches its slice; a mapping when every label names exactly one plane; else refused.
	 */
	private static Map<Integer, Integer> placeByLabel(final List<Row> rows, final ImagePlus image, final String name) {
		final List<Row> disagreeing = rows.stream().filter(row -> !row.label.isEmpty() && !row.label.equals(
			row.slice >= 1 && row.slice <= image.getStackSize() ? Images.planeLabel(image, row.slice) : null)).toList();
		if (disagreeing.isEmpty()) return Map.of();
		final Map<String, List<Integer>> planesByLabel = new java.util.HashMap<>();
		for (int slice = 1; slice <= image.getStackSize(); slice++) {
			planesByLabel.computeIfAbsent(Images.planeLabel(image, slice), k -> new ArrayList<>()).add(slice);
		}
		final Map<Integer, Integer> placed = new java.util.HashMap<>();
		final Set<String> unplaced = new java.util.LinkedHashSet<>();
		for (final Row row : disagreeing) {
			final List<Integer> planes = planesByLabel.getOrDefault(row.label, List.of());
			if (planes.size() == 1) placed.put(row.line, planes.get(0));
			else unplaced.add("line " + row.line + ": slice " + row.slice + " '" + row.label + "' (" + (planes.isEmpty()
				? "no plane" : "planes " + planes) + " of '" + image.getTitle() + "' " + (planes.isEmpty() ? "has" : "have") +
				" that label" + (row.slice >= 1 && row.slice <= image.getStackSize() ? "; slice " + row.slice + " is '" +
				Images.planeLabel(image, row.slice) + "'" : "") + ")");
		}
		if (unplaced.isEmpty()) return placed;
		throw new KeypointException(name + " was not written for '" + image.getTitle() + "': the labels of " +
			unplaced.size() + " row(s) are not its planes' labels, e.g. " + unplaced.stream().limit(3)
			.collect(java.util.stream.Collectors.joining("; ")) + ". Nothing was imported. Import it onto the stack it " +
			"was written for, or empty the label column to place the points by slice number.");
	}

	private static KeypointException outsideStack(final String name, final Row row, final List<Row> rows,
		final ImagePlus image)
	{
		final int last = rows.stream().mapToInt(Row::slice).max().orElse(row.slice);
		return new KeypointException(name + ", line " + row.line + ": slice " + row.slice + " is not in '" + image
			.getTitle() + "' (1-" + image.getStackSize() + ")" + (last > image.getStackSize() ? "; the file has points up " +
			"to slice " + last + ". File > Import > Image Sequence leaves out images of another size than the first: " +
			"check that the stack holds every image the points were made on" : "") + ". Nothing was imported.");
	}

	/**
	 * Import>Keypoints from CSV without any user interface: {@link #read}s the file and adds its points to
	 * the annotations of {@code image}. Planes the file has points for that are annotated already are
	 * refused, or with {@code replaceExisting} their annotations replaced; the other planes keep theirs.
	 * Nothing changes when it fails.
	 *
	 * @return what was read
	 */
	public static Read importInto(final ImagePlus image, final Path file, final boolean replaceExisting) {
		Images.requireOpen(image);
		if (file == null || !Files.isRegularFile(file)) throw new KeypointException("csv_file: '" + file + "' is not a file.");
		final Read result = readRows(file, image);
		final AnnotatedStack read = result.stack();
		final Set<Integer> clash = new TreeSet<>(AnnotatedStack.annotatedPlanes(image));
		clash.retainAll(read.objects().stream().map(o -> o.plane().stackIndex()).toList());
		if (!clash.isEmpty() && !replaceExisting) {
			throw new KeypointException("'" + image.getTitle() + "' already has annotations on plane(s) " + clash +
				"; set replace_existing=true to replace them.");
		}
		AnnotatedStack.removeAnnotations(image, clash);
		AnnotatedStack.annotate(image, read.objects(), read.keypointNames(), read.mirror());
		return result;
	}

	/** One line for the Log: how many point sets, how they were placed, and the points missing. */
	public static String summary(final Read read, final String file) {
		final AnnotatedStack stack = read.stack();
		final long missing = stack.objects().stream().flatMapToDouble(o -> Arrays.stream(o.x())).filter(Double::isNaN)
			.count();
		return "read " + stack.objects().size() + " point sets of " + stack.keypointCount() + " points from " + file +
			(missing > 0 ? "; " + missing + " point(s) not visible (no coordinates), left out of training and evaluation" : "") +
			(read.placedByLabel() > 0 ? "; " + read.placedByLabel() + " slice number(s) were not the planes of their labels: " +
				"the points were placed by label" : "") + (read.labelsChecked() ? "" : "; labels not checked ('" +
				stack.image().getTitle() + "' has no slice labels, or the file none)") + ".";
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
