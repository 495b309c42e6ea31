package io.github.keypointj.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

/**
 * A SLEAP labels file ({@code .slp}: HDF5, read with jHDF) as an annotated stack: the frames people labelled,
 * each user instance one object with the skeleton's nodes as keypoints (a node not placed, or marked not
 * visible, is a missing point), the skeleton's symmetries as the mirror pairs. Predicted instances are left
 * out: training learns from what people placed. Frames come from where SLEAP keeps them: embedded in the
 * file (a labels package, {@code .pkg.slp}: SLEAP's Export Labels Package), image files, or a movie (H.264
 * .mp4 or .mov as most are, decoded in pure Java; a TIFF stack or AVI, read by ImageJ), each found where the
 * labeller had it, else beside the .slp; a movie it cannot decode is named, with what to do.
 * <p>
 * The layout, as SLEAP 1.x (format 1.2) and sleap-io (1.4 and later) write it: {@code metadata} (attribute
 * {@code json}: the skeletons as networkx node-link graphs over the global {@code nodes} list; attribute
 * {@code format_id}), {@code videos_json} (one JSON per video), and the compound tables {@code frames}
 * (video, frame index, its rows of {@code instances}), {@code instances} (type: 0 user, 1 predicted; its
 * rows of {@code points}, or of {@code pred_points} when predicted) and {@code points} (x, y, visible).
 * Formats before 1.1 put (0,0) at the top-left pixel's corner; later ones, like ImageJ, at its centre.
 */
public final class SleapLabels {

	/** A symmetry between two nodes, in the skeleton's links (1: a body edge). */
	private static final int SYMMETRY = 2;

	private SleapLabels() {}

	/** A skeleton: its nodes in point order, and its symmetries as a mirror order (null: none). */
	private record Skeleton(String name, List<String> nodes, MirrorOrder mirror) {}

	/**
	 * @param rgb RGB planes, or 8-bit gray
	 * @return the stack (slice labels {@code <video>/<frame>}), and a line for each frame or instance left
	 *         out and why
	 */
	public static ImportResult read(final Path slp, final boolean rgb, final Progress progress) {
		final String name = slp.getFileName().toString();
		if (!Files.isRegularFile(slp)) throw new KeypointException(slp + " is not a file.");
		try (HdfFile hdf = new HdfFile(slp); OpenMovies movies = new OpenMovies()) {
			final Node metadata = hdf.getChild("metadata");
			if (metadata == null || metadata.getAttribute("json") == null || !(hdf.getChild("frames") instanceof Dataset)) {
				throw new KeypointException(name + " is not a SLEAP labels file: it has no metadata and frames tables.");
			}
			final double format = metadata.getAttribute("format_id") != null && metadata.getAttribute("format_id")
				.getData() instanceof Number number ? number.doubleValue() : 0;
			final JsonObject meta = json(text(metadata.getAttribute("json")), name + ": its metadata").getAsJsonObject();
			final Map<String, Object> frames = table(hdf, "frames", name), instances = table(hdf, "instances", name);
			final Map<String, Object> points = table(hdf, "points", name);
			final long[] instanceTypes = longs(instances, "instance_type", name);
			final long[] skeletons = longs(instances, "skeleton", name);
			// the skeleton of the first user instance; SLEAP projects have one
			int chosen = -1;
			for (int i = 0; i < instanceTypes.length && chosen < 0; i++) if (instanceTypes[i] == 0) chosen = (int) skeletons[i];
			if (chosen < 0) throw new KeypointException(name + " holds no user-labelled instances (only predictions?).");
			final Skeleton skeleton = skeleton(meta, chosen, name);
			final List<Video> videos = new ArrayList<>();
			final Dataset videosJson = hdf.getChild("videos_json") instanceof Dataset dataset ? dataset : null;
			final Object videoTexts = videosJson == null ? null : videosJson.getDataFlat();
			for (int v = 0; videoTexts != null && v < Array.getLength(videoTexts); v++) {
				videos.add(new Video(hdf, slp, v, json(String.valueOf(Array.get(videoTexts, v)), name + ": video " + v)
					.getAsJsonObject(), format, movies));
			}

			final long[] frameVideo = longs(frames, "video", name), frameIndex = longs(frames, "frame_idx", name);
			final long[] firstInstance = longs(frames, "instance_id_start", name);
			final long[] endInstance = longs(frames, "instance_id_end", name);
			final long[] firstPoint = longs(instances, "point_id_start", name);
			final long[] endPoint = longs(instances, "point_id_end", name);
			final double[] x = doubles(points, "x", name), y = doubles(points, "y", name);
			final boolean[] visible = booleans(points, "visible", name);
			// before format 1.1, (0,0) was the top-left pixel's corner
			final double shift = format < 1.1 ? -0.5 : 0;

			final ImageStack stack = new ImageStack();
			final List<Integer> planes = new ArrayList<>(); // each labelled instance's plane, and its points
			final List<double[][]> instancePoints = new ArrayList<>();
			final List<double[][]> placed = new ArrayList<>();
			final Set<String> skipped = new LinkedHashSet<>();
			int predicted = 0, otherSkeleton = 0;
			for (int f = 0; f < frameVideo.length; f++) {
				if (progress.isCanceled()) break;
				progress.report("Reading " + name, f, frameVideo.length);
				placed.clear();
				if (firstInstance[f] < 0 || endInstance[f] > instanceTypes.length) {
					throw new KeypointException(name + " is damaged: frame row " + f + " names instances " + firstInstance[f] +
						"-" + endInstance[f] + ", the file has " + instanceTypes.length + ".");
				}
				for (long i = firstInstance[f]; i < endInstance[f]; i++) {
					final int instance = (int) i;
					if (instanceTypes[instance] != 0) predicted++;
					else if (skeletons[instance] != chosen) otherSkeleton++;
					else if (firstPoint[instance] < 0 || endPoint[instance] > x.length) {
						throw new KeypointException(name + " is damaged: instance " + instance + " names points " + firstPoint[
							instance] + "-" + endPoint[instance] + ", the file has " + x.length + ".");
					}
					else if (endPoint[instance] - firstPoint[instance] != skeleton.nodes.size()) {
						skipped.add(name + ", instance " + instance + ": " + (endPoint[instance] - firstPoint[instance]) +
							" points, but skeleton '" + skeleton.name + "' has " + skeleton.nodes.size() + " nodes");
					}
					else {
						final int nodes = skeleton.nodes.size();
						final double[][] xy = new double[2][nodes];
						for (int k = 0; k < nodes; k++) {
							final int p = (int) firstPoint[instance] + k;
							final boolean labelled = visible[p] && Double.isFinite(x[p]) && Double.isFinite(y[p]);
							xy[0][k] = labelled ? x[p] + shift : Double.NaN;
							xy[1][k] = labelled ? y[p] + shift : Double.NaN;
						}
						placed.add(xy);
					}
				}
				if (placed.isEmpty()) continue; // no person's labels on this frame
				final int videoNumber = (int) frameVideo[f];
				if (videoNumber < 0 || videoNumber >= videos.size()) {
					skipped.add(name + ", frame " + frameIndex[f] + ": its video " + videoNumber + " is not in videos_json");
					continue;
				}
				final Video video = videos.get(videoNumber);
				final ImagePlus image;
				try {
					image = video.frame(frameIndex[f]);
				}
				catch (final KeypointException e) {
					skipped.add(e.getMessage());
					continue;
				}
				final String label = video.label(frameIndex[f]);
				final ImageProcessor plane = ImageFiles.convert(image, rgb);
				if (stack.getSize() > 0 && (plane.getWidth() != stack.getWidth() || plane.getHeight() != stack.getHeight())) {
					skipped.add(label + ": " + plane.getWidth() + "x" + plane.getHeight() + ", not the " + stack.getWidth() +
						"x" + stack.getHeight() + " of the first frame (a stack has one size)");
					continue;
				}
				final String problem = placed.stream().map(xy -> PlaneKeypoints.labelledImplausibility(xy[0], xy[1],
					plane.getWidth(), plane.getHeight())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
				if (problem != null) {
					skipped.add(label + ": " + problem);
					continue;
				}
				stack.addSlice(label, plane);
				for (final double[][] xy : placed) {
					planes.add(stack.getSize());
					instancePoints.add(xy);
				}
			}
			if (predicted > 0) skipped.add(name + ": " + predicted + " predicted instances left out (training learns " +
				"from what people labelled)");
			if (otherSkeleton > 0) skipped.add(name + ": " + otherSkeleton + " instances of other skeletons than '" +
				skeleton.name + "' left out (import one skeleton at a time)");
			if (stack.getSize() == 0) {
				throw new KeypointException("No labelled frames could be read from " + slp + (skipped.isEmpty() ? "." : " (" +
					String.join("; ", skipped.stream().limit(3).toList()) + ")."));
			}
			final ImagePlus result = new ImagePlus(name.replaceFirst("(\\.pkg)?\\.slp$", ""), stack);
			final List<PlaneKeypoints> objects = new ArrayList<>();
			for (int i = 0; i < planes.size(); i++) {
				objects.add(new PlaneKeypoints(PlanePosition.of(result, planes.get(i)), CropBox.wholeImage(stack.getWidth(),
					stack.getHeight()), instancePoints.get(i)[0], instancePoints.get(i)[1]));
			}
			AnnotatedStack.annotate(result, objects, skeleton.nodes, skeleton.mirror);
			return new ImportResult(result, List.copyOf(skipped));
		}
		catch (final HdfException e) {
			throw new KeypointException(name + " is not an HDF5 file jHDF can read (SLEAP labels are): " + e.getMessage(), e);
		}
	}

	/**
	 * The skeleton's nodes in the order of its instances' points ({@code nodes[].id} index the global node
	 * list) and its symmetries. A link's type is jsonpickle's: the first of each kind in full ({@code py/reduce}
	 * of EdgeType with its value), later ones {@code py/id} k, the k-th kind met in this skeleton (SLEAP's
	 * decoder; usually 1 body, 2 symmetry, but the other way round when a symmetry comes first).
	 */
	private static Skeleton skeleton(final JsonObject meta, final int index, final String name) {
		try {
			final JsonArray globalNodes = meta.getAsJsonArray("nodes");
			final JsonObject graph = meta.getAsJsonArray("skeletons").get(index).getAsJsonObject();
			final String skeletonName = graph.has("graph") && graph.getAsJsonObject("graph").has("name") ? graph
				.getAsJsonObject("graph").get("name").getAsString() : "skeleton " + index;
			final List<Integer> ids = new ArrayList<>();
			final List<String> nodes = new ArrayList<>();
			for (final JsonElement node : graph.getAsJsonArray("nodes")) {
				final int id = node.getAsJsonObject().get("id").getAsInt();
				ids.add(id);
				nodes.add(globalNodes.get(id).getAsJsonObject().get("name").getAsString());
			}
			final List<Integer> kinds = new ArrayList<>();
			final List<String> pairs = new ArrayList<>();
			for (final JsonElement element : graph.getAsJsonArray("links")) {
				final JsonObject link = element.getAsJsonObject(), type = link.getAsJsonObject("type");
				final int kind;
				if (type.has("py/reduce")) {
					kind = type.getAsJsonArray("py/reduce").get(1).getAsJsonObject().getAsJsonArray("py/tuple").get(0)
						.getAsInt();
					kinds.add(kind);
				}
				else kind = kinds.get(type.get("py/id").getAsInt() - 1);
				if (kind != SYMMETRY) continue;
				final int a = ids.indexOf(link.get("source").getAsInt()), b = ids.indexOf(link.get("target").getAsInt());
				if (a < 0 || b < 0 || a == b) continue;
				final String pair = Math.min(a, b) + "-" + Math.max(a, b); // SLEAP stores each symmetry both ways
				if (!pairs.contains(pair)) pairs.add(pair);
			}
			return new Skeleton(skeletonName, List.copyOf(nodes), MirrorOrder.parsePairs(String.join(" ", pairs), nodes,
				name + ": skeleton '" + skeletonName + "' symmetries"));
		}
		catch (final RuntimeException e) { // a missing key or index: not the layout SLEAP writes
			if (e instanceof KeypointException known) throw known;
			throw new KeypointException(name + ": skeleton " + index + " in its metadata is not as SLEAP writes it (" + e +
				").", e);
		}
	}

	/** The H.264 movies opened while reading a file, closed with it. */
	private static final class OpenMovies implements AutoCloseable {

		private final List<Mp4Movie> open = new ArrayList<>();

		Mp4Movie open(final Path file) {
			final Mp4Movie movie = Mp4Movie.open(file);
			open.add(movie);
			return movie;
		}

		@Override
		public void close() {
			open.forEach(Mp4Movie::close);
		}
	}

	/** Where a video's frames are: embedded in the file, image files, or a movie (H.264, TIFF stack, AVI). */
	private static final class Video {

		private final HdfFile hdf;
		private final Path slp;
		private final String name, embedded, file;
		private final long[] frameNumbers;
		private final boolean swapRedBlue;
		private final List<String> files;
		/** A movie file's path as recorded, or null. */
		private final String movie;
		private final OpenMovies movies;
		/** The movie, once opened: an H.264 one, or one ImageJ reads (TIFF stack, AVI) as a virtual stack. */
		private Mp4Movie h264;
		private ImagePlus opened;
		/** Why the movie could not be opened, once tried: not tried again for each frame. */
		private KeypointException unreadable;

		Video(final HdfFile hdf, final Path slp, final int number, final JsonObject json, final double format,
			final OpenMovies movies)
		{
			this.hdf = hdf;
			this.movies = movies;
			this.slp = slp;
			this.file = slp.getFileName().toString();
			final JsonObject backend = json.has("backend") ? json.getAsJsonObject("backend") : json;
			final String filename = backend.has("filename") && backend.get("filename").isJsonPrimitive() ? backend.get(
				"filename").getAsString() : "";
			final String dataset = backend.has("dataset") && backend.get("dataset").isJsonPrimitive() ? backend.get(
				"dataset").getAsString() : "";
			if (filename.equals(".") || dataset.endsWith("/video")) {
				embedded = dataset.isEmpty() ? "video" + number + "/video" : dataset;
				final String group = embedded.substring(0, embedded.lastIndexOf('/'));
				frameNumbers = node(hdf, group + "/frame_numbers") instanceof Dataset numbers ? toLongs(numbers
					.getDataFlat()) : null;
				if (!(node(hdf, embedded) instanceof Dataset images)) {
					throw new KeypointException(file + ": video " + number + "'s frames should be embedded in '" + embedded +
						"', which the file lacks.");
				}
				final String order = images.getAttribute("channel_order") == null ? null : text(images.getAttribute(
					"channel_order"));
				// SLEAP encoded RGB arrays as BGR before format 1.4 recorded the order
				swapRedBlue = "BGR".equalsIgnoreCase(order) || order == null && format < 1.4;
				name = sourceName(group, number);
				files = null;
				movie = null;
			}
			else {
				embedded = null;
				frameNumbers = null;
				swapRedBlue = false;
				if (backend.has("filenames") && backend.get("filenames").isJsonArray()) {
					files = new ArrayList<>();
					backend.getAsJsonArray("filenames").forEach(file -> files.add(file.getAsString().replace('\\', '/')));
					final String first = files.isEmpty() ? "" : files.get(0);
					final String parent = first.contains("/") ? first.substring(0, first.lastIndexOf('/')) : "";
					name = parent.isEmpty() ? "images" : parent.substring(parent.lastIndexOf('/') + 1);
					movie = null;
				}
				else {
					files = null;
					movie = filename.replace('\\', '/');
					name = stem(movie);
				}
			}
		}

		/** A file where the labeller had it, else the file of that name beside the .slp. */
		private Path located(final String recorded) {
			final Path beside = slp.toAbsolutePath().getParent().resolve(stem(recorded) + extension(recorded));
			try {
				final Path path = Path.of(recorded.replace('/', java.io.File.separatorChar));
				return Files.isRegularFile(path) ? path : beside;
			}
			catch (final java.nio.file.InvalidPathException e) { // another system's path
				return beside;
			}
		}

		/**
		 * A frame of the movie, opened once: an H.264 movie (.mp4, .mov, .m4v) decoded by {@link Mp4Movie}, a
		 * TIFF stack or AVI read by ImageJ as a virtual stack.
		 */
		private ImagePlus movieFrame(final long frame) {
			if (unreadable != null) throw unreadable;
			final String ending = extension(movie).toLowerCase(Locale.ROOT);
			final boolean isH264 = List.of(".mp4", ".mov", ".m4v").contains(ending);
			if (!isH264 && !List.of(".tif", ".tiff", ".avi").contains(ending)) {
				throw new KeypointException(file + ": " + movie + " is a movie KeypointJ does not decode (it reads H.264 " +
					".mp4 and .mov, TIFF stacks and AVI); in SLEAP, export a labels package with the labelled frames embedded " +
					"(File > Export Labels Package...) and import that .pkg.slp");
			}
			if (h264 == null && opened == null) {
				final Path path = located(movie);
				try {
					if (!Files.isRegularFile(path)) throw new KeypointException(movie + ": not found where it was labelled, " +
						"nor beside " + file);
					if (isH264) h264 = movies.open(path);
					else {
						opened = ImageFiles.openVirtual(path);
						if (opened == null) throw new KeypointException(movie + ": not found where it was labelled, nor " +
							"beside " + file + " as a movie ImageJ can read");
					}
				}
				catch (final KeypointException e) {
					unreadable = e;
					throw e;
				}
			}
			final long frames = h264 != null ? h264.frameCount() : opened.getStackSize();
			if (frame >= frames) throw new KeypointException(file + ": frame " + frame + " of " + name + " is past the " +
				frames + " frames of " + movie);
			return new ImagePlus(label(frame), h264 != null ? h264.frame(frame) : opened.getStack().getProcessor((int) frame +
				1));
		}

		/** The source movie's name (sleap-io and SLEAP keep it beside the embedded frames), else "video N". */
		private String sourceName(final String group, final int number) {
			for (final String child : List.of("source_video", "original_video")) {
				final Node source = node(hdf, group + "/" + child);
				if (source != null && source.getAttribute("json") != null) {
					final JsonObject json = json(text(source.getAttribute("json")), file).getAsJsonObject();
					final JsonObject backend = json.has("backend") ? json.getAsJsonObject("backend") : json;
					if (backend.has("filename")) return stem(backend.get("filename").getAsString().replace('\\', '/'));
				}
			}
			return "video" + number;
		}

		/** Slice label: the video, then the frame as DeepLabCut would name it, or the image file's name. */
		String label(final long frame) {
			if (files != null && frame < files.size()) return name + "/" + stem(files.get((int) frame)) + extension(files
				.get((int) frame));
			return name + "/img" + String.format(Locale.ROOT, "%05d", frame) + ".png";
		}

		ImagePlus frame(final long frame) {
			if (movie != null) return movieFrame(frame);
			if (files != null) {
				if (frame >= files.size()) throw new KeypointException(file + ": frame " + frame + " of " + name + " is not " +
					"among its " + files.size() + " image files");
				final String recorded = files.get((int) frame);
				final Path path = located(recorded);
				final ImagePlus image = Files.isRegularFile(path) ? ImageFiles.open(path) : null;
				if (image == null) throw new KeypointException(recorded + ": not found where it was labelled, nor beside " +
					file + (Files.isRegularFile(path) ? " as an image ImageJ can read" : ""));
				return image;
			}
			int row = (int) frame;
			if (frameNumbers != null) {
				row = -1;
				for (int i = 0; i < frameNumbers.length; i++) if (frameNumbers[i] == frame) row = i;
				if (row < 0) throw new KeypointException(file + ": frame " + frame + " of " + name + " is not embedded");
			}
			final Dataset images = hdf.getDatasetByPath(embedded);
			final int[] dimensions = images.getDimensions();
			final Object data = dimensions.length == 2 ? ((Object[]) images.getData(new long[] { row, 0 }, new int[] { 1,
				dimensions[1] }))[0] : Array.get(images.getData(), row); // zero-padded rows, or one array per frame
			final byte[] encoded = new byte[Array.getLength(data)];
			for (int i = 0; i < encoded.length; i++) encoded[i] = ((Number) Array.get(data, i)).byteValue();
			final BufferedImage decoded;
			try {
				decoded = ImageIO.read(new ByteArrayInputStream(encoded)); // PNG and JPEG ignore the padding
			}
			catch (final IOException e) {
				throw new KeypointException(file + ": frame " + frame + " of " + name + " could not be decoded (" + e
					.getMessage() + ")", e);
			}
			if (decoded == null) throw new KeypointException(file + ": frame " + frame + " of " + name + " is not an " +
				"image Java decodes (PNG or JPEG)");
			final ImagePlus image = new ImagePlus(label(frame), decoded);
			if (swapRedBlue && image.getProcessor() instanceof ColorProcessor colour) {
				final int size = colour.getPixelCount();
				final byte[] red = new byte[size], green = new byte[size], blue = new byte[size];
				colour.getRGB(red, green, blue);
				colour.setRGB(blue, green, red);
			}
			return image;
		}
	}

	/** The node at a path, or null (jHDF throws for a missing one). */
	private static Node node(final HdfFile hdf, final String path) {
		try {
			return hdf.getByPath(path);
		}
		catch (final io.jhdf.exceptions.HdfInvalidPathException e) {
			return null;
		}
	}

	private static String stem(final String path) {
		final String file = path.substring(path.lastIndexOf('/') + 1);
		final int dot = file.lastIndexOf('.');
		return dot > 0 ? file.substring(0, dot) : file;
	}

	private static String extension(final String path) {
		final String file = path.substring(path.lastIndexOf('/') + 1);
		final int dot = file.lastIndexOf('.');
		return dot > 0 ? file.substring(dot) : "";
	}

	private static JsonElement json(final String text, final String what) {
		try {
			return JsonParser.parseString(text);
		}
		catch (final JsonParseException e) {
			throw new KeypointException(what + " is not JSON: " + e.getMessage(), e);
		}
	}

	/** A string attribute, fixed or variable length, or bytes; without numpy's NUL padding. */
	private static String text(final Attribute attribute) {
		final Object data = attribute.getData();
		final String text = data instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : data.getClass()
			.isArray() && Array.getLength(data) == 1 ? String.valueOf(Array.get(data, 0)) : String.valueOf(data);
		return text.replaceFirst("\u0000+$", "");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> table(final HdfFile hdf, final String table, final String name) {
		if (!(hdf.getChild(table) instanceof Dataset dataset) || !dataset.isCompound()) {
			throw new KeypointException(name + ": its '" + table + "' is not the table SLEAP writes (a compound " +
				"dataset).");
		}
		final Object data = dataset.getData();
		return data instanceof Map<?, ?> map ? (Map<String, Object>) map : new HashMap<>();
	}

	private static Object field(final Map<String, Object> table, final String field, final String name) {
		final Object values = table.get(field);
		if (values == null || !values.getClass().isArray()) {
			throw new KeypointException(name + ": a SLEAP table lacks its '" + field + "' field.");
		}
		return values;
	}

	private static long[] longs(final Map<String, Object> table, final String field, final String name) {
		return toLongs(field(table, field, name));
	}

	private static long[] toLongs(final Object values) {
		final long[] longs = new long[Array.getLength(values)];
		for (int i = 0; i < longs.length; i++) longs[i] = ((Number) Array.get(values, i)).longValue(); // u8: BigInteger
		return longs;
	}

	private static double[] doubles(final Map<String, Object> table, final String field, final String name) {
		final Object values = field(table, field, name);
		final double[] doubles = new double[Array.getLength(values)];
		for (int i = 0; i < doubles.length; i++) doubles[i] = ((Number) Array.get(values, i)).doubleValue();
		return doubles;
	}

	/** numpy's booleans, which h5py stores as an enum: jHDF gives their names, "TRUE" and "FALSE". */
	private static boolean[] booleans(final Map<String, Object> table, final String field, final String name) {
		final Object values = field(table, field, name);
		final boolean[] booleans = new boolean[Array.getLength(values)];
		for (int i = 0; i < booleans.length; i++) {
			final Object value = Array.get(values, i);
			booleans[i] = value instanceof Number number ? number.intValue() != 0 : value instanceof Boolean b ? b
				: "TRUE".equalsIgnoreCase(String.valueOf(value));
		}
		return booleans;
	}
}
