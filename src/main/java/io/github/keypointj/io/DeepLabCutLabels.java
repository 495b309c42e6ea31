package io.github.keypointj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DeepLabCut's labelled frames, in and out. In: a {@code labeled-data/<video>/} folder with its frames and the
 * {@code CollectedData_<scorer>.csv} DeepLabCut writes next to them, or the {@code .h5} beside it (the same
 * table, as pandas stores it), single- or multi-animal, with the frames' path in one column (DeepLabCut
 * 2.0-2.1) or three (2.2 and later). The frames become a stack at their own size (slice labels: the file
 * names), each animal's points one object on its frame, in the order of the bodyparts; a bodypart not
 * labelled on a frame (empty cells, NaN) is a missing point. DeepLabCut's pixel coordinates, like ImageJ's,
 * put pixel centres at integers. Out: a stack's point sets in the CSV layout, for a project's labelled data.
 */
public final class DeepLabCutLabels {

	/** The multi-animal "individual" of bodyparts that belong to no animal (DeepLabCut's unique bodyparts). */
	static final String UNIQUE_BODYPARTS = "single";

	/** The key DeepLabCut stores its labels' DataFrame under in the .h5. */
	static final String H5_KEY = "df_with_missing";

	private DeepLabCutLabels() {}

	/** One animal's columns: the x and y column of each bodypart, -1 where the file has none. */
	private record Animal(String name, int[] xColumns, int[] yColumns) {}

	/**
	 * @param labels the CollectedData file: .csv, or .h5; or a project's config.yaml ({@link #readProject})
	 * @param rgb RGB planes, or 8-bit gray
	 * @return the stack (titled as the video, which an export writes back), and a line for each frame skipped
	 *         and why (and for unique bodyparts left out)
	 */
	public static ImportResult read(final Path labels, final boolean rgb, final Progress progress) {
		if (labels.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.ya?ml")) {
			return readProject(labels, rgb, progress);
		}
		final List<List<String>> rows = rows(labels);
		final Frames frames = new Frames(bodyparts(rows, labels), rgb);
		frames.add(rows, labels, "", progress);
		return frames.result(labels.toAbsolutePath().getParent().getFileName().toString(), labels);
	}

	/**
	 * A whole project: the labelled frames of every {@code labeled-data/<video>/} folder that holds the
	 * project scorer's CollectedData (.h5, else .csv), in one stack (slice labels {@code <video>/<frame>}, so
	 * that an export names each frame's video), the bodyparts in config.yaml's order.
	 *
	 * @param config the project's config.yaml
	 */
	public static ImportResult readProject(final Path config, final boolean rgb, final Progress progress) {
		final DeepLabCutConfig project = DeepLabCutConfig.read(config);
		final Path labeledData = config.toAbsolutePath().getParent().resolve("labeled-data");
		final List<Path> videos;
		try (java.util.stream.Stream<Path> folders = Files.list(labeledData)) {
			videos = folders.filter(Files::isDirectory).sorted().toList();
		}
		catch (final IOException e) {
			throw new KeypointException(config.getFileName() + ": the project has no labeled-data folder to import (" +
				labeledData + "): label frames in DeepLabCut first.", e);
		}
		final Frames frames = new Frames(project.bodyparts(), rgb);
		final String stem = "CollectedData_" + project.scorer();
		for (final Path video : videos) {
			if (progress.isCanceled()) break;
			final Path labels = Files.isRegularFile(video.resolve(stem + ".h5")) ? video.resolve(stem + ".h5")
				: video.resolve(stem + ".csv");
			if (!Files.isRegularFile(labels)) {
				if (!video.getFileName().toString().endsWith("_labeled")) { // DeepLabCut's check_labels pictures
					frames.skipped.add(video.getFileName() + ": no " + stem + ".h5 or .csv (labelled by another scorer?)");
				}
				continue;
			}
			try {
				frames.add(rows(labels), labels, video.getFileName() + "/", progress);
			}
			catch (final KeypointException e) { // one video's damaged labels leave the others
				frames.skipped.add(video.getFileName() + ": " + e.getMessage());
			}
		}
		return frames.result(project.task(), config);
	}

	/** The CollectedData table, header rows first, as the CSV has it. */
	private static List<List<String>> rows(final Path labels) {
		return isH5(labels) ? PandasFrame.csvRows(labels, H5_KEY) : csvRows(labels);
	}

	/** Whether DeepLabCut's pandas file is meant, not its CSV. */
	private static boolean isH5(final Path labels) {
		final String name = labels.getFileName().toString().toLowerCase(Locale.ROOT);
		return name.endsWith(".h5") || name.endsWith(".hdf5");
	}

	private static List<List<String>> csvRows(final Path csv) {
		final List<List<String>> rows = new ArrayList<>();
		try {
			for (final String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
				if (!line.isBlank()) rows.add(KeypointCsv.fields(line.startsWith("\uFEFF") ? line.substring(1) : line));
			}
		}
		catch (final IOException e) {
			throw new KeypointException("Could not read " + csv + ": " + e.getMessage(), e);
		}
		return rows;
	}

	/** The header rows by their first cell (scorer, individuals, bodyparts, coords), checked. */
	private static Map<String, List<String>> header(final List<List<String>> rows, final Path labels) {
		final Map<String, List<String>> header = new LinkedHashMap<>();
		for (int r = 0; r < rows.size() && List.of("scorer", "individuals", "bodyparts", "coords").contains(key(rows
			.get(r))); r++)
		{
			header.put(key(rows.get(r)), rows.get(r));
		}
		if (!header.containsKey("coords") || !header.containsKey("bodyparts")) {
			throw new KeypointException(labels.getFileName() + " is not a DeepLabCut CollectedData file: it needs the " +
				"header rows 'scorer', 'bodyparts' and 'coords' (and 'individuals' for several animals), as DeepLabCut " +
				"writes them.");
		}
		if (header.get("coords").indexOf("x") < 1) throw new KeypointException(labels.getFileName() + ": its 'coords' " +
			"row has no x column.");
		return header;
	}

	/** The animals' bodyparts in the order of the file's columns (unique bodyparts belong to no animal). */
	private static List<String> bodyparts(final List<List<String>> rows, final Path labels) {
		final Map<String, List<String>> header = header(rows, labels);
		final List<String> coords = header.get("coords"), individualRow = header.get("individuals");
		final List<String> bodyparts = new ArrayList<>();
		for (int column = coords.indexOf("x"); column < coords.size(); column++) {
			final String bodypart = cell(header.get("bodyparts"), column);
			if (individualRow != null && cell(individualRow, column).equals(UNIQUE_BODYPARTS)) continue;
			if (!bodyparts.contains(bodypart)) bodyparts.add(bodypart);
		}
		return bodyparts;
	}

	/** What an import gathers, file by file: the frames as one stack, each one's animals, what it skipped. */
	private static final class Frames {

		private final List<String> bodyparts;
		private final boolean rgb;
		private final ImageStack stack = new ImageStack();
		private final List<List<double[][]>> pointsByPlane = new ArrayList<>();
		private final List<String> skipped = new ArrayList<>();

		Frames(final List<String> bodyparts, final boolean rgb) {
			this.bodyparts = bodyparts;
			this.rgb = rgb;
		}

		/** The frames a file's rows name, with their points; {@code labelPrefix} goes before each slice label. */
		void add(final List<List<String>> rows, final Path labels, final String labelPrefix, final Progress progress) {
			final String name = labels.getFileName().toString();
			final String rowWord = isH5(labels) ? ", row " : ", line "; // the .h5's rows are numbered as in the CSV
			final Map<String, List<String>> header = header(rows, labels);
			final List<String> coords = header.get("coords"), bodypartRow = header.get("bodyparts");
			final int indexColumns = coords.indexOf("x");
			final List<String> individualRow = header.get("individuals");
			final Map<String, Animal> animals = new LinkedHashMap<>();
			final java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
			for (int column = indexColumns; column < coords.size(); column++) {
				final String individual = individualRow == null ? "animal" : cell(individualRow, column);
				if (individual.equals(UNIQUE_BODYPARTS)) continue;
				final Animal animal = animals.computeIfAbsent(individual, k -> new Animal(k, filled(bodyparts.size()),
					filled(bodyparts.size())));
				final int bodypart = bodyparts.indexOf(cell(bodypartRow, column));
				if (bodypart < 0) {
					unknown.add(cell(bodypartRow, column));
					continue;
				}
				final String axis = cell(coords, column).toLowerCase(Locale.ROOT);
				if (axis.equals("x")) animal.xColumns[bodypart] = column;
				else if (axis.equals("y")) animal.yColumns[bodypart] = column;
				// "likelihood" (machine labels) is not a coordinate
			}
			if (!unknown.isEmpty()) {
				skipped.add(name + ": bodyparts " + unknown + " are not the project's (config.yaml) and were left out");
			}
			if (individualRow != null && individualRow.subList(indexColumns, individualRow.size()).contains(
				UNIQUE_BODYPARTS))
			{
				skipped.add(name + ": the unique bodyparts (individual '" + UNIQUE_BODYPARTS + "') belong to no animal " +
					"and were left out");
			}
			final int first = header.size();
			for (int r = first; r < rows.size(); r++) {
				if (progress.isCanceled()) break;
				progress.report("Reading " + labelPrefix + name, r - first, rows.size() - first);
				final List<String> row = rows.get(r);
				final List<String> parts = row.subList(0, Math.min(indexColumns, row.size())).stream().map(String::trim)
					.filter(part -> !part.isEmpty()).toList();
				if (parts.isEmpty()) {
					skipped.add(name + rowWord + (r + 1) + ": no frame named");
					continue;
				}
				final Path frame = frameFile(labels, parts);
				if (frame == null) {
					skipped.add(String.join("/", parts) + ": not found next to " + name);
					continue;
				}
				final List<double[][]> objects = new ArrayList<>();
				try {
					for (final Animal animal : animals.values()) {
						final double[][] xy = { values(row, animal.xColumns), values(row, animal.yColumns) };
						if (Arrays.stream(xy[0]).allMatch(Double::isNaN)) continue; // this animal is not on the frame
						objects.add(xy);
					}
				}
				catch (final NumberFormatException e) {
					skipped.add(name + rowWord + (r + 1) + ": a coordinate is not a number (" + e.getMessage() + ")");
					continue;
				}
				final ImagePlus image = ImageFiles.open(frame);
				if (image == null) {
					skipped.add(labelPrefix + frame.getFileName() + ": not an image ImageJ can read");
					continue;
				}
				final ImageProcessor plane = ImageFiles.convert(image, rgb);
				if (stack.getSize() > 0 && (plane.getWidth() != stack.getWidth() || plane.getHeight() != stack
					.getHeight()))
				{
					skipped.add(labelPrefix + frame.getFileName() + ": " + plane.getWidth() + "x" + plane.getHeight() +
						", not the " + stack.getWidth() + "x" + stack.getHeight() + " of the first frame (a stack has one " +
						"size; import each video's folder on its own)");
					continue;
				}
				final String problem = objects.stream().map(xy -> PlaneKeypoints.labelledImplausibility(xy[0], xy[1],
					plane.getWidth(), plane.getHeight())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
				if (problem != null) {
					skipped.add(labelPrefix + frame.getFileName() + ": " + problem);
					continue;
				}
				stack.addSlice(labelPrefix + frame.getFileName(), plane);
				pointsByPlane.add(objects);
			}
		}

		ImportResult result(final String title, final Path source) {
			if (stack.getSize() == 0) {
				throw new KeypointException("No labelled frames in " + source + ": DeepLabCut keeps the frames next to " +
					"its CollectedData file" + (skipped.isEmpty() ? "." : " (" + String.join("; ", skipped.subList(0,
						Math.min(3, skipped.size()))) + ")."));
			}
			final ImagePlus image = new ImagePlus(title, stack);
			final List<PlaneKeypoints> objects = new ArrayList<>();
			for (int plane = 0; plane < pointsByPlane.size(); plane++) {
				for (final double[][] xy : pointsByPlane.get(plane)) {
					objects.add(new PlaneKeypoints(PlanePosition.of(image, plane + 1), CropBox.wholeImage(stack.getWidth(),
						stack.getHeight()), xy[0], xy[1]));
				}
			}
			AnnotatedStack.annotate(image, objects, bodyparts, null);
			return new ImportResult(image, skipped);
		}
	}

	/**
	 * Writes point sets as DeepLabCut's CollectedData CSV (three path columns: labeled-data, the video (the
	 * image's title, or the part of the plane's label before a '/'), the frame: the plane's label, else
	 * img0001.png), whole or not at all: single-animal when no plane has more
	 * than one set, else multi-animal with one individual per set of a plane, animal1 to animalN in the
	 * order of the plane's sets. A missing point is two empty cells; planes without points have no row.
	 */
	public static void write(final ImagePlus image, final List<PlaneKeypoints> objects, final List<String> bodyparts,
		final String scorer, final Path file)
	{
		final Map<Integer, List<PlaneKeypoints>> byPlane = new java.util.TreeMap<>();
		for (final PlaneKeypoints object : objects) {
			byPlane.computeIfAbsent(object.plane().stackIndex(), k -> new ArrayList<>()).add(object);
		}
		final int animals = byPlane.values().stream().mapToInt(List::size).max().orElse(0);
		final String video = image.getTitle().replaceFirst("\\.[A-Za-z0-9]{2,4}$", "").replace(',', '_');
		final StringBuilder scorers = new StringBuilder("scorer,,"), individuals = new StringBuilder("individuals,,");
		final StringBuilder parts = new StringBuilder("bodyparts,,"), coords = new StringBuilder("coords,,");
		for (int animal = 1; animal <= animals; animal++) {
			for (final String bodypart : bodyparts) {
				for (final String axis : List.of("x", "y")) {
					scorers.append(',').append(scorer);
					individuals.append(",animal").append(animal);
					parts.append(',').append(bodypart.replace(',', '_'));
					coords.append(',').append(axis);
				}
			}
		}
		final StringBuilder text = new StringBuilder(scorers).append('\n');
		if (animals > 1) text.append(individuals).append('\n');
		text.append(parts).append('\n').append(coords).append('\n');
		for (final Map.Entry<Integer, List<PlaneKeypoints>> plane : byPlane.entrySet()) {
			final String label = io.github.keypointj.data.Images.planeLabel(image, plane.getKey());
			final int slash = label.lastIndexOf('/'); // a project's import labels its frames <video>/<frame>
			text.append("labeled-data,").append(slash > 0 ? label.substring(0, slash).replace(',', '_') : video).append(',')
				.append(label.isEmpty() ? String.format(Locale.ROOT, "img%04d.png", plane.getKey()) : label.substring(
					slash + 1).replace(',', '_'));
			for (int animal = 0; animal < animals; animal++) {
				final PlaneKeypoints points = animal < plane.getValue().size() ? plane.getValue().get(animal) : null;
				for (int k = 0; k < bodyparts.size(); k++) {
					final boolean shown = points != null && points.isLabelled(k);
					text.append(',').append(shown ? coordinate(points.x()[k]) : "").append(',')
						.append(shown ? coordinate(points.y()[k]) : "");
				}
			}
			text.append('\n');
		}
		try {
			io.github.keypointj.AtomicFiles.write(file, ".csv", temporary -> Files.writeString(temporary, text,
				StandardCharsets.UTF_8));
		}
		catch (final IOException e) {
			throw new KeypointException("Could not write " + file + ": " + e.getMessage(), e);
		}
	}

	private static String coordinate(final double value) {
		return String.format(Locale.ROOT, "%.4f", value);
	}

	/**
	 * The frame a row names: next to the CSV (its folder is the video's), else from the project's root. The
	 * file's name is the last part, in DeepLabCut 2.0-2.1's one path column the end of the path.
	 */
	private static Path frameFile(final Path csv, final List<String> parts) {
		final Path folder = csv.toAbsolutePath().getParent();
		final String[] names = parts.get(parts.size() - 1).split("[/\\\\]");
		final Path beside = folder.resolve(names[names.length - 1]);
		if (Files.isRegularFile(beside)) return beside;
		for (Path root = folder; root != null; root = root.getParent()) {
			final Path candidate = root.resolve(String.join("/", parts));
			if (Files.isRegularFile(candidate)) return candidate;
		}
		return null;
	}

	private static String key(final List<String> row) {
		return row.isEmpty() ? "" : row.get(0).trim().toLowerCase(Locale.ROOT);
	}

	private static String cell(final List<String> row, final int column) {
		return column < row.size() ? row.get(column).trim() : "";
	}

	private static int[] filled(final int length) {
		final int[] columns = new int[length];
		Arrays.fill(columns, -1);
		return columns;
	}

	/** The coordinates in {@code columns}; NaN for an empty cell, a NaN, or a column the file lacks. */
	private static double[] values(final List<String> row, final int[] columns) {
		final double[] values = new double[columns.length];
		for (int k = 0; k < columns.length; k++) {
			final String text = columns[k] < 0 ? "" : cell(row, columns[k]);
			values[k] = text.isEmpty() || text.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(text);
		}
		return values;
	}
}
