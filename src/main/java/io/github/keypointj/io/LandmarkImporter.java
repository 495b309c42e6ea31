package io.github.keypointj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.PlaneWriter;

import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Point2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Faces (or any objects) with landmark files: a folder of images with iBUG 300-W .pts files, or a
 * dlib-style XML ({@code <image file=...><box top left width height><part name x y/>}). Each object
 * is cut from its image as a square of {@code margin} times the longer side of its box (the XML's
 * box, or the points' bounding box), centred on the box, resampled to {@code size x size} and
 * stacked. Each plane keeps its {@link CropOrigin}; its box becomes a rectangle in the overlay.
 * Entries with a box but no points (a test-set XML) become planes with their box only.
 */
public final class LandmarkImporter {

	/**
	 * @param margin crop side as a multiple of the box's longer side
	 * @param size side of the planes
	 * @param rgb RGB planes, else 8-bit gray
	 */
	public record Settings(double margin, int size, boolean rgb) {

		public Settings {
			if (!(margin > 0)) throw new KeypointException("margin: must be positive, not " + margin + ".");
			if (size < 8) throw new KeypointException("size: must be at least 8 pixels, not " + size + ".");
			// the object's box is size / margin pixels of the plane: less than a few, and its points lie on one pixel
			if (size / margin < MIN_OBJECT_PIXELS) {
				throw new KeypointException(String.format(java.util.Locale.ROOT, "margin=%s: the objects would be %.2g " +
					"pixels wide in planes of %d; the margin is the crop's side in boxes (1.5 to 3 is usual, 2 the 300-W " +
					"recipe's), at most %s for size=%d.", margin, size / margin, size, (double) size / MIN_OBJECT_PIXELS, size));
			}
		}

		/** The least side, in plane pixels, of an object's box. */
		static final int MIN_OBJECT_PIXELS = 8;
	}

	/** One object: its image, box (null: from the points) and points (null: none) in original pixel coordinates. */
	record Entry(Path image, CropBox box, double[] x, double[] y) {}

	private LandmarkImporter() {}

	/**
	 * A folder of images, each with a .pts file of the same name (iBUG 300-W; 1-based coordinates),
	 * subfolders included.
	 */
	public static ImportResult readPtsFolder(final Path folder, final Settings settings, final Progress progress) {
		return readPtsFolders(List.of(folder), settings, progress);
	}

	/** {@link #readPtsFolder} for several folders, into one stack, in the order given. */
	public static ImportResult readPtsFolders(final List<Path> folders, final Settings settings, final Progress progress) {
		final List<Entry> entries = new ArrayList<>();
		final List<String> skipped = new ArrayList<>();
		for (final Path folder : folders) {
			try {
				for (final Path image : ImageFiles.listTree(folder)) {
					final Path pts = image.resolveSibling(ImageFiles.baseName(image) + ".pts");
					if (!Files.exists(pts)) {
						skipped.add(image.getFileName() + ": no " + pts.getFileName());
						continue;
					}
					try {
						final double[][] points = readPts(pts);
						entries.add(new Entry(image, null, points[0], points[1]));
					}
					catch (final KeypointException e) {
						skipped.add(e.getMessage());
					}
				}
			}
			catch (final IOException e) {
				throw new KeypointException("Cannot read the folder " + folder + ": " + e.getMessage(), e);
			}
		}
		if (entries.isEmpty() && skipped.isEmpty()) {
			throw new KeypointException("Nothing to import: " + folders.stream().map(Path::toString).collect(
				java.util.stream.Collectors.joining(", ")) + " hold" + (folders.size() == 1 ? "s" : "") + " no images " +
				"(with .pts files of the same name).");
		}
		return crop(entries, skipped, settings, folders.get(0).getFileName() + (folders.size() > 1 ? " and more" : "") +
			" (landmarks)", progress);
	}

	/** A dlib-style XML; image paths are relative to the XML's folder. */
	public static ImportResult readDlibXml(final Path xml, final Settings settings, final Progress progress) {
		final List<Entry> entries = new ArrayList<>();
		final List<String> skipped = new ArrayList<>();
		final Document document = parseXml(xml);
		final NodeList images = document.getElementsByTagName("image");
		for (int i = 0; i < images.getLength(); i++) {
			final Element image = (Element) images.item(i);
			if (image.getAttribute("file").isBlank()) {
				skipped.add(xml.getFileName() + ": <image> number " + (i + 1) + " names no file (file='...')");
				continue;
			}
			final Path file = xml.resolveSibling(image.getAttribute("file"));
			final NodeList boxes = image.getElementsByTagName("box");
			for (int b = 0; b < boxes.getLength(); b++) {
				final Element box = (Element) boxes.item(b);
				try {
					entries.add(entry(file, box));
				}
				catch (final NumberFormatException e) {
					skipped.add(xml.getFileName() + ", " + file.getFileName() + ": a box or part has a coordinate that is not a number");
				}
			}
		}
		if (entries.isEmpty() && skipped.isEmpty()) {
			throw new KeypointException(xml.getFileName() + " has no <image> with a <box>: is it a dlib landmark XML?");
		}
		return crop(entries, skipped, settings, xml.getFileName() + " (landmarks)", progress);
	}

	private static Entry entry(final Path file, final Element box) {
		final CropBox crop = new CropBox(number(box, "left"), number(box, "top"), number(box, "width"),
			number(box, "height"));
		final NodeList parts = box.getElementsByTagName("part");
		if (parts.getLength() == 0) return new Entry(file, crop, null, null);
		final double[] x = new double[parts.getLength()];
		final double[] y = new double[parts.getLength()];
		for (int p = 0; p < parts.getLength(); p++) {
			final Element part = (Element) parts.item(p);
			// dlib's 0-based pixel coordinates are ImageJ's (pixel centres at integers)
			x[p] = number(part, "x");
			y[p] = number(part, "y");
		}
		return new Entry(file, crop, x, y);
	}

	/** An attribute's number; NaN and infinities (which parseDouble reads) are no coordinates either. */
	private static double number(final Element element, final String attribute) {
		final double value = Double.parseDouble(element.getAttribute(attribute));
		if (!Double.isFinite(value)) throw new NumberFormatException(attribute + "=" + value);
		return value;
	}

	private static Document parseXml(final Path xml) {
		try {
			final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			return factory.newDocumentBuilder().parse(xml.toFile());
		}
		catch (final IOException | SAXException | ParserConfigurationException e) {
			throw new KeypointException("Cannot read the XML file " + xml + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Reads an iBUG .pts file: {@code version: 1 / n_points: N / { / N lines "x y" / }} (the header may be
	 * missing). Coordinates are 1-based (the centre of the first pixel is 1): ImageJ's are 1 less.
	 *
	 * @return {x[], y[]} in ImageJ pixel coordinates
	 * @throws KeypointException naming the file when it is truncated or malformed
	 */
	public static double[][] readPts(final Path pts) {
		final List<String> lines = ImageFiles.readLines(pts);
		int declared = -1;
		boolean closed = false;
		final List<double[]> points = new ArrayList<>();
		for (final String raw : lines) {
			final String line = raw.trim();
			if (line.isEmpty() || line.startsWith("version") || line.equals("{")) continue;
			if (line.startsWith("n_points")) {
				final String count = line.substring(line.indexOf(':') + 1).trim();
				try {
					declared = Integer.parseInt(count);
				}
				catch (final NumberFormatException e) {
					throw new KeypointException(pts.getFileName() + ": n_points '" + count + "' is not a whole number");
				}
				continue;
			}
			if (line.equals("}")) {
				closed = true;
				break;
			}
			final String[] fields = line.split("\\s+");
			try {
				if (fields.length != 2) throw new NumberFormatException();
				points.add(new double[] { Double.parseDouble(fields[0]) - 1, Double.parseDouble(fields[1]) - 1 });
			}
			catch (final NumberFormatException e) {
				throw new KeypointException(pts.getFileName() + ": '" + line + "' is not a point (x y)");
			}
		}
		if (declared >= 0 && (points.size() != declared || !closed)) {
			throw new KeypointException(pts.getFileName() + ": declares " + declared + " points but holds " +
				points.size() + (closed ? "" : " and no closing '}'") + " (truncated?)");
		}
		if (points.isEmpty()) throw new KeypointException(pts.getFileName() + ": no points");
		final double[][] xy = new double[2][points.size()];
		for (int i = 0; i < points.size(); i++) {
			xy[0][i] = points.get(i)[0];
			xy[1][i] = points.get(i)[1];
		}
		return xy;
	}

	private static ImportResult crop(final List<Entry> entries, final List<String> skipped, final Settings settings,
		final String title, final Progress progress)
	{
		final int count = usualPointCount(entries, skipped);
		final ImageStack stack = new ImageStack(settings.size(), settings.size());
		final List<CropOrigin> origins = new ArrayList<>();
		final List<double[][]> planePoints = new ArrayList<>();
		final List<CropBox> planeBoxes = new ArrayList<>();
		final int channels = settings.rgb() ? 3 : 1;
		Path openFile = null;
		ImagePlus open = null;
		for (int i = 0; i < entries.size() && !progress.isCanceled(); i++) {
			final Entry entry = entries.get(i);
			progress.report("Cutting objects from their images", i + 1, entries.size());
			if (entry.x != null && entry.x.length != count) continue; // reported by usualPointCount
			if (!entry.image.equals(openFile)) {
				openFile = entry.image;
				open = Files.exists(entry.image) ? ImageFiles.open(entry.image) : null;
			}
			if (open == null) {
				skipped.add(entry.image.getFileName() + (Files.exists(entry.image) ? ": not an image ImageJ can read"
					: ": missing"));
				continue;
			}
			final String implausible = entry.x == null ? null
				: PlaneKeypoints.implausibility(entry.x, entry.y, open.getWidth(), open.getHeight());
			if (implausible != null) {
				skipped.add(entry.image.getFileName() + ": " + implausible);
				continue;
			}
			final CropBox box = entry.box != null ? entry.box : CropBox.around(entry.x, entry.y);
			if (!(box.width() > 0 || box.height() > 0)) {
				skipped.add(entry.image.getFileName() + ": its box is empty (" + (entry.box != null ? "width and height 0"
					: "all points in one place") + "), nothing to cut out");
				continue;
			}
			final CropBox crop = squareAround(box, settings.margin());
			final AffineTransform planeToImage = crop.inputToImage(settings.size(), settings.size());
			final ImagePlus source = new ImagePlus("", ImageFiles.convert(open, settings.rgb()));
			final float[] pixels = new float[channels * settings.size() * settings.size()];
			InputSampler.sample(PlaneReader.read(source, 1, channels), source.getWidth(), source.getHeight(), planeToImage,
				settings.size(), settings.size(), pixels, 0);
			stack.addSlice(entry.image.getFileName().toString(), PlaneWriter.toProcessor(pixels, settings.size(), settings.size(), channels));
			origins.add(new CropOrigin(entry.image.getFileName().toString(), crop, settings.size(), i));
			final AffineTransform imageToPlane = inverse(planeToImage);
			planePoints.add(entry.x == null ? null : transform(imageToPlane, entry.x, entry.y));
			planeBoxes.add(box.relativeTo(crop, settings.size(), settings.size()));
		}
		if (stack.getSize() == 0) {
			throw new KeypointException("Nothing to import: " + (skipped.isEmpty() ? "no entries" : String.join("; ", skipped)));
		}
		final ImagePlus result = new ImagePlus(title, stack);
		CropOrigin.store(result, origins);
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (int i = 0; i < planePoints.size(); i++) {
			final Roi box = new Roi(planeBoxes.get(i).x(), planeBoxes.get(i).y(), planeBoxes.get(i).width(),
				planeBoxes.get(i).height());
			box.setPosition(i + 1);
			box.setName("box " + (i + 1));
			if (result.getOverlay() == null) result.setOverlay(new ij.gui.Overlay());
			result.getOverlay().add(box);
			if (planePoints.get(i) != null) {
				objects.add(new PlaneKeypoints(PlanePosition.of(result, i + 1), planeBoxes.get(i), planePoints.get(i)[0],
					planePoints.get(i)[1]));
			}
		}
		// .pts files are 300-W's: 68 points are iBUG's scheme; other counts are not known to mirror
		if (!objects.isEmpty()) AnnotatedStack.annotate(result, objects, AnnotatedStack.numberedNames(count), count == 68
			? MirrorOrder.IBUG_68 : null);
		return new ImportResult(result, skipped);
	}

	/** The number of points most entries have; entries with another number are reported. */
	private static int usualPointCount(final List<Entry> entries, final List<String> skipped) {
		final java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
		for (final Entry entry : entries) if (entry.x != null) counts.merge(entry.x.length, 1, Integer::sum);
		if (counts.isEmpty()) return 0;
		final int usual = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).get().getKey();
		for (final Entry entry : entries) {
			if (entry.x != null && entry.x.length != usual) {
				skipped.add(entry.image.getFileName() + ": " + entry.x.length + " points, the others have " + usual);
			}
		}
		return usual;
	}

	private static CropBox squareAround(final CropBox box, final double margin) {
		return CropBox.forObject(box, io.github.keypointj.data.CropRecipe.squareAroundBox(margin));
	}

	private static double[][] transform(final AffineTransform transform, final double[] x, final double[] y) {
		final double[][] result = new double[2][x.length];
		final Point2D.Double point = new Point2D.Double();
		for (int i = 0; i < x.length; i++) {
			point.setLocation(x[i], y[i]);
			transform.transform(point, point);
			result[0][i] = point.x;
			result[1][i] = point.y;
		}
		return result;
	}

	private static AffineTransform inverse(final AffineTransform transform) {
		try {
			return transform.createInverse();
		}
		catch (final NoninvertibleTransformException e) {
			throw new KeypointException("An object with an empty box cannot be cut out.");
		}
	}
}
