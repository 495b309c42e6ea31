package io.github.keypointj.data;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.FloatPolygon;
import io.github.keypointj.KeypointException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The annotations a stack carries: the keypoints of a plane are the points of a point selection on
 * that plane, in point order, either in the overlay or in the image's multi-point selection (whose
 * points may each carry their own plane, as Fiji's Multi-point tool makes them across slices). A
 * rectangle on a plane is that plane's object box. Points KeypointJ detected are predictions, not
 * annotations, and are left out.
 *
 * @param image the stack
 * @param objects one entry per annotated object, in plane order
 * @param keypointNames one name per keypoint
 * @param unannotatedPlanes planes without any point (skipped)
 * @param mirror which keypoint becomes which in a mirrored object, or null: the set is never mirrored
 */
public record AnnotatedStack(ImagePlus image, List<PlaneKeypoints> objects, List<String> keypointNames,
	int unannotatedPlanes, MirrorOrder mirror)
{

	public AnnotatedStack {
		if (mirror != null && mirror.keypointCount() != keypointNames.size()) {
			throw new IllegalArgumentException("A mirror order of " + mirror.keypointCount() + " keypoints for " +
				keypointNames.size() + " keypoint names");
		}
	}

	/** Roi name prefix of the annotations KeypointJ writes (importers, CSV import). */
	public static final String ANNOTATION_NAME = "keypoints";

	public int keypointCount() {
		return keypointNames.size();
	}

	/** The planes (stack indices, ascending) with at least one of the objects. */
	public List<Integer> objectPlanes() {
		return objects.stream().map(object -> object.plane().stackIndex()).distinct().sorted().toList();
	}

	/** Whether any object has a box of its own (a rectangle on its plane), not the whole plane. */
	public boolean hasBoxes() {
		final CropBox whole = CropBox.wholeImage(image.getWidth(), image.getHeight());
		return objects.stream().anyMatch(object -> !whole.equals(object.region()));
	}

	/** Below this size (longer side, image pixels) an object's points make no box to crop around. */
	public static final int MIN_BOX_PIXELS = 8;

	/**
	 * The size of the boxes the objects' points make, the median over objects without a rectangle of their
	 * own; null when there are none, or when most make no box (one keypoint, or all within
	 * {@value #MIN_BOX_PIXELS} pixels): such a keypoint set is learned on whole planes.
	 */
	public CropBox typicalPointBox() {
		final CropBox whole = CropBox.wholeImage(image.getWidth(), image.getHeight());
		final List<Double> widths = new ArrayList<>(), heights = new ArrayList<>();
		for (final PlaneKeypoints object : objects) {
			if (!whole.equals(object.region())) continue;
			final CropBox box = CropBox.around(object.x(), object.y());
			widths.add(box.width());
			heights.add(box.height());
		}
		if (widths.isEmpty()) return null;
		Collections.sort(widths);
		Collections.sort(heights);
		final CropBox median = new CropBox(0, 0, widths.get(widths.size() / 2), heights.get(heights.size() / 2));
		return Math.max(median.width(), median.height()) >= MIN_BOX_PIXELS ? median : null;
	}

	/**
	 * The same annotations, each object in the box it is learned and found in: its rectangle, or where
	 * none was drawn (its region is the whole plane) the box of its points, as the object stage learns to
	 * find it. An object whose visible points make no box (its other points hidden) gets a box of the
	 * {@link #typicalPointBox} size around them. Without a typical box, the stack as it is.
	 */
	public AnnotatedStack withObjectBoxes() {
		final CropBox typical = typicalPointBox();
		if (typical == null) return this;
		final CropBox whole = CropBox.wholeImage(image.getWidth(), image.getHeight());
		final List<PlaneKeypoints> boxed = new ArrayList<>();
		for (final PlaneKeypoints object : objects) {
			CropBox box = object.region();
			if (whole.equals(box)) {
				box = CropBox.around(object.x(), object.y());
				if (Math.max(box.width(), box.height()) < MIN_BOX_PIXELS) {
					box = new CropBox(box.x() + box.width() / 2 - typical.width() / 2, box.y() + box.height() / 2 -
						typical.height() / 2, typical.width(), typical.height());
				}
			}
			boxed.add(new PlaneKeypoints(object.plane(), box, object.x(), object.y()));
		}
		return new AnnotatedStack(image, boxed, keypointNames, unannotatedPlanes, mirror);
	}

	/** The same annotations with another mirror order (a user's declared pairs). */
	public AnnotatedStack withMirror(final MirrorOrder order) {
		return new AnnotatedStack(image, objects, keypointNames, unannotatedPlanes, order);
	}

	/** The names of keypoints that have none of their own: "point 1" to "point K". */
	public static List<String> numberedNames(final int keypoints) {
		final List<String> names = new ArrayList<>();
		for (int i = 1; i <= keypoints; i++) names.add("point " + i);
		return names;
	}

	/**
	 * Reads the annotations of {@code image}.
	 *
	 * @param names keypoint names, or null for the names stored with the points (or "point 1".."point K")
	 * @throws KeypointException when planes disagree on the number of points, naming them
	 */
	public static AnnotatedStack read(final ImagePlus image, final List<String> names) {
		final Map<Integer, List<PointSet>> byPlane = new TreeMap<>();
		final Map<Integer, List<Roi>> boxes = new TreeMap<>();
		String storedNames = null;
		String storedPairs = null;
		final List<Roi> rois = new ArrayList<>();
		if (image.getOverlay() != null) Collections.addAll(rois, image.getOverlay().toArray());
		// The multi-point selection counts when the overlay holds no annotations (else it is usually a copy of one).
		if (image.getRoi() instanceof PointRoi && rois.stream().noneMatch(AnnotatedStack::isAnnotation)) {
			rois.add(image.getRoi());
		}
		for (final Roi roi : rois) {
			if (isAnnotation(roi)) {
				if (storedNames == null) storedNames = roi.getProperty(KeypointOverlay.NAMES);
				if (storedPairs == null) storedPairs = roi.getProperty(MirrorOrder.PROPERTY);
				for (final PointSet set : split((PointRoi) roi, image)) {
					byPlane.computeIfAbsent(set.stackIndex, k -> new ArrayList<>()).add(set);
				}
			}
			else if (roi.getType() == Roi.RECTANGLE) {
				for (final int plane : planesOf(roi, image)) boxes.computeIfAbsent(plane, k -> new ArrayList<>()).add(roi);
			}
		}
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (final Map.Entry<Integer, List<PointSet>> plane : byPlane.entrySet()) {
			final PlanePosition position = PlanePosition.of(image, plane.getKey());
			for (final PointSet set : plane.getValue()) {
				objects.add(new PlaneKeypoints(position, boxFor(set, boxes.get(plane.getKey()), image), set.x, set.y));
			}
		}
		final int count = requireSameCount(objects);
		final List<String> keypointNames = names != null ? names
			: storedNames != null && storedNames.split("\\|").length == count ? List.of(storedNames.split("\\|"))
			: numberedNames(count);
		if (keypointNames.size() != count) {
			throw new KeypointException("There are " + keypointNames.size() + " keypoint names for " + count + " points per plane.");
		}
		final int annotatedPlanes = (int) objects.stream().map(o -> o.plane().stackIndex()).distinct().count();
		return new AnnotatedStack(image, objects, keypointNames, image.getStackSize() - annotatedPlanes,
			storedMirror(storedPairs, count));
	}

	/**
	 * The mirror order stored with the annotations, or null: none stored, or pairs that name points this
	 * set does not have (stored for other points, e.g. before a CSV import replaced them), which are
	 * ignored as stale names are; training says whether it mirrors, and with which pairs.
	 */
	private static MirrorOrder storedMirror(final String pairs, final int count) {
		try {
			return MirrorOrder.parsePairs(pairs, count, "the annotations' " + MirrorOrder.PROPERTY);
		}
		catch (final KeypointException stale) {
			return null;
		}
	}

	/**
	 * KeypointJ's detections in {@code image}'s overlay as keypoints per plane, with the names stored with
	 * them (Export › Keypoints as CSV of what was detected). Each ROI's plane by the same rule as annotations.
	 */
	public static AnnotatedStack readDetections(final ImagePlus image) {
		final List<PlaneKeypoints> objects = new ArrayList<>();
		List<String> names = null;
		for (final PointRoi roi : KeypointOverlay.detections(image)) {
			final FloatPolygon points = roi.getFloatPolygon();
			final double[] x = new double[points.npoints], y = new double[points.npoints];
			for (int i = 0; i < points.npoints; i++) {
				x[i] = points.xpoints[i];
				y[i] = points.ypoints[i];
			}
			objects.add(new PlaneKeypoints(PlanePosition.of(image, planeOfPoint(roi, 0, image)), CropBox.wholeImage(image
				.getWidth(), image.getHeight()), x, y));
			if (names == null && roi.getProperty(KeypointOverlay.NAMES) != null) {
				names = List.of(roi.getProperty(KeypointOverlay.NAMES).split("\\|"));
			}
		}
		if (objects.isEmpty()) throw new KeypointException("'" + image.getTitle() + "' has no keypoints detected by KeypointJ.");
		if (names == null || names.size() != objects.get(0).count()) names = numberedNames(objects.get(0).count());
		return new AnnotatedStack(image, objects, names, image.getStackSize() - objects.size(), null);
	}

	private static boolean isAnnotation(final Roi roi) {
		return roi instanceof PointRoi && !KeypointOverlay.isDetection(roi);
	}

	/**
	 * Points of one PointRoi, split by the plane each point is on, with its missing keypoints back in
	 * their slots (KeypointJ writes one plane's object per ROI).
	 */
	private static List<PointSet> split(final PointRoi roi, final ImagePlus image) {
		final float[] x = roi.getFloatPolygon().xpoints;
		final float[] y = roi.getFloatPolygon().ypoints;
		final int n = roi.getFloatPolygon().npoints;
		final Map<Integer, List<Integer>> indices = new LinkedHashMap<>();
		for (int i = 0; i < n; i++) indices.computeIfAbsent(planeOfPoint(roi, i, image), k -> new ArrayList<>()).add(i);
		final List<PointSet> sets = new ArrayList<>();
		for (final Map.Entry<Integer, List<Integer>> entry : indices.entrySet()) {
			final List<Integer> points = entry.getValue();
			final double[] xs = new double[points.size()];
			final double[] ys = new double[points.size()];
			for (int i = 0; i < points.size(); i++) {
				xs[i] = x[points.get(i)];
				ys[i] = y[points.get(i)];
			}
			final double[][] all = KeypointOverlay.withMissing(roi, xs, ys);
			sets.add(new PointSet(entry.getKey(), all[0], all[1]));
		}
		return sets;
	}

	/** A point's plane: the ROI's, else the point's own (Multi-point across slices), else the one on view. */
	private static int planeOfPoint(final PointRoi roi, final int index, final ImagePlus image) {
		if (roi.hasHyperStackPosition()) return PlanePosition.stackIndexOf(roi, image);
		final int position = roi.getPointPosition(index);
		if (position > 0) return position;
		final int own = PlanePosition.stackIndexOf(roi, image);
		return own > 0 ? own : image.getStackSize() == 1 ? 1 : image.getCurrentSlice();
	}

	/** The planes a (box) ROI shows on: its own, or every plane when it has none. */
	private static List<Integer> planesOf(final Roi roi, final ImagePlus image) {
		final List<Integer> planes = new ArrayList<>();
		final int own = PlanePosition.stackIndexOf(roi, image);
		if (own > 0) planes.add(own);
		else for (int i = 1; i <= image.getStackSize(); i++) planes.add(i);
		return planes;
	}

	/** The box holding the object's labelled points (the one containing their centre), or the whole plane. */
	private static CropBox boxFor(final PointSet set, final List<Roi> boxes, final ImagePlus image) {
		if (boxes != null) {
			final PlaneKeypoints points = new PlaneKeypoints(null, null, set.x, set.y);
			final int labelled = points.labelledCount();
			double cx = 0, cy = 0;
			for (int i = 0; i < set.x.length; i++) {
				if (!points.isLabelled(i)) continue;
				cx += set.x[i] / labelled;
				cy += set.y[i] / labelled;
			}
			for (final Roi box : boxes) {
				if (box.getFloatBounds().contains(cx, cy)) return CropBox.of(box);
			}
		}
		return CropBox.wholeImage(image.getWidth(), image.getHeight());
	}

	private static int requireSameCount(final List<PlaneKeypoints> objects) {
		if (objects.isEmpty()) {
			throw new KeypointException("The image has no annotated planes: put a point selection with the keypoints on " +
				"each plane (Multi-point tool, then Image>Overlay>Add Selection), or import annotations.");
		}
		final Map<Integer, List<Integer>> planesByCount = new TreeMap<>();
		for (final PlaneKeypoints object : objects) {
			planesByCount.computeIfAbsent(object.count(), k -> new ArrayList<>()).add(object.plane().stackIndex());
		}
		if (planesByCount.size() == 1) return planesByCount.keySet().iterator().next();
		final int usual = planesByCount.entrySet().stream().max((a, b) -> a.getValue().size() - b.getValue().size())
			.get().getKey();
		final String odd = planesByCount.entrySet().stream().filter(e -> e.getKey() != usual)
			.map(e -> "plane" + (e.getValue().size() > 1 ? "s " : " ") + e.getValue().stream().distinct().map(String::valueOf)
				.collect(Collectors.joining(", ")) + " with " + e.getKey())
			.collect(Collectors.joining("; "));
		throw new KeypointException("Every annotated plane needs the same number of points: most have " + usual +
			", but " + odd + ".");
	}

	/** The planes (stack indices) that hold annotation points in the overlay. */
	public static java.util.Set<Integer> annotatedPlanes(final ImagePlus image) {
		final java.util.Set<Integer> planes = new java.util.TreeSet<>();
		if (image.getOverlay() == null) return planes;
		for (final Roi roi : image.getOverlay().toArray()) {
			if (isAnnotation(roi)) for (final PointSet set : split((PointRoi) roi, image)) planes.add(set.stackIndex);
		}
		return planes;
	}

	/** Removes the annotation points on {@code planes} from the overlay; everything else stays. */
	public static void removeAnnotations(final ImagePlus image, final java.util.Set<Integer> planes) {
		final Overlay overlay = image.getOverlay();
		if (overlay == null) return;
		for (int index = overlay.size() - 1; index >= 0; index--) {
			final Roi roi = overlay.get(index);
			if (isAnnotation(roi) && split((PointRoi) roi, image).stream().allMatch(set -> planes.contains(set.stackIndex))) {
				overlay.remove(index);
			}
		}
		image.setOverlay(overlay);
	}

	/**
	 * Writes {@code objects} as annotations into the image's overlay (used by importers); an object
	 * without any labelled point is none, and is left out.
	 *
	 * @param mirror the keypoint set's mirror order, or null when it has none
	 */
	public static void annotate(final ImagePlus image, final List<PlaneKeypoints> objects, final List<String> names,
		final MirrorOrder mirror)
	{
		final Overlay overlay = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		for (final PlaneKeypoints object : objects) {
			if (object.labelledCount() == 0) continue;
			final PointRoi roi = KeypointOverlay.pointRoi(object.x(), object.y(), object.plane(), image);
			roi.setName(ANNOTATION_NAME + " " + object.plane().stackIndex());
			roi.setProperty(KeypointOverlay.NAMES, String.join(KeypointOverlay.NAME_SEPARATOR, names));
			if (mirror != null) roi.setProperty(MirrorOrder.PROPERTY, mirror.pairs());
			overlay.add(roi);
		}
		image.setOverlay(overlay);
	}

	private record PointSet(int stackIndex, double[] x, double[] y) {}
}
