package io.github.keypointj.data;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;

import io.github.keypointj.KeypointException;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * Keypoints as ImageJ overlays: one {@link PointRoi} per object and plane, positioned on that plane,
 * its points in the model's order. KeypointJ marks the ROIs it writes with the property
 * {@value #ROLE}={@value #DETECTED}, and touches no other ROI.
 */
public final class KeypointOverlay {

	/** Roi property that marks ROIs written by KeypointJ. */
	public static final String ROLE = "keypointj";
	/** Its value on detected keypoints. */
	public static final String DETECTED = "detected";
	/** Roi property with the keypoint names, separated by {@value #NAME_SEPARATOR}. */
	public static final String NAMES = "keypointj.names";
	/** Roi property with the model that found the points. */
	public static final String MODEL = "keypointj.model";
	public static final String NAME_SEPARATOR = "|";
	/**
	 * Roi property with the slots (0-based keypoint indices, comma-separated) of the keypoints missing on
	 * the ROI's plane: a PointRoi holds only the labelled points, and ImageJ keeps Roi properties in a TIFF.
	 */
	public static final String MISSING = "keypointj.missing";

	private static final Color DETECTED_COLOR = new Color(255, 64, 64);

	private KeypointOverlay() {}

	/**
	 * A PointRoi of the labelled points of {@code x, y} (image pixel coordinates), placed on {@code plane};
	 * the slots of missing (NaN) points are kept in its {@value #MISSING} property. There must be at least
	 * one labelled point.
	 */
	public static PointRoi pointRoi(final double[] x, final double[] y, final PlanePosition plane, final ImagePlus image) {
		final float[] xs = new float[x.length];
		final float[] ys = new float[y.length];
		final StringJoiner missing = new StringJoiner(",");
		int labelled = 0;
		for (int i = 0; i < x.length; i++) {
			if (!PlaneKeypoints.isLabelled(x[i], y[i])) {
				missing.add(String.valueOf(i));
				continue;
			}
			xs[labelled] = (float) x[i];
			ys[labelled++] = (float) y[i];
		}
		if (labelled == 0) throw new IllegalArgumentException("No labelled point to make a PointRoi of");
		final PointRoi roi = new PointRoi(Arrays.copyOf(xs, labelled), Arrays.copyOf(ys, labelled), labelled);
		if (missing.length() > 0) roi.setProperty(MISSING, missing.toString());
		plane.place(roi, image);
		if (!roi.hasHyperStackPosition()) {
			// ImageJ saves a PointRoi's stack position per point, and only when it has counters: without
			// them the position would be lost in a TIFF round trip.
			final int[] counters = new int[labelled];
			Arrays.fill(counters, plane.stackIndex() << 8);
			roi.setCounters(counters);
		}
		return roi;
	}

	/**
	 * The points of {@code roi} (x, y of its points in order) with the missing ones its {@value #MISSING}
	 * property names put back as NaN in their slots.
	 *
	 * @throws KeypointException when the property is no list of slots
	 */
	public static double[][] withMissing(final Roi roi, final double[] x, final double[] y) {
		final String property = roi.getProperty(MISSING);
		if (property == null || property.isBlank()) return new double[][] { x, y };
		final int count = x.length + property.split(",").length;
		final double[] allX = new double[count], allY = new double[count];
		Arrays.fill(allX, Double.NaN);
		Arrays.fill(allY, Double.NaN);
		final boolean[] missing = new boolean[count];
		for (final String slot : property.split(",")) {
			final int k = parseSlot(slot.trim(), count, roi);
			if (missing[k]) throw badSlots(roi);
			missing[k] = true;
		}
		int next = 0;
		for (int k = 0; k < count; k++) {
			if (missing[k]) continue;
			allX[k] = x[next];
			allY[k] = y[next++];
		}
		return new double[][] { allX, allY };
	}

	private static int parseSlot(final String slot, final int count, final Roi roi) {
		try {
			final int k = Integer.parseInt(slot);
			if (k >= 0 && k < count) return k;
		}
		catch (final NumberFormatException e) {
			// reported below with the whole property
		}
		throw badSlots(roi);
	}

	private static KeypointException badSlots(final Roi roi) {
		return new KeypointException("The point selection '" + roi.getName() + "' has " + MISSING + "=" +
			roi.getProperty(MISSING) + ": expected distinct keypoint indices from 0, separated by commas.");
	}

	/**
	 * Replaces KeypointJ's earlier detections on {@code processed} planes with {@code detections}, numbered
	 * per plane; everything else in the overlay (the user's own ROIs, detections on other planes) stays.
	 */
	public static void replaceDetections(final ImagePlus image, final Collection<PlanePosition> processed,
		final List<PlaneKeypoints> detections, final String modelName, final List<String> keypointNames)
	{
		replaceDetections(image, processed, detections, numberedPerPlane(detections), false, modelName, keypointNames);
	}

	/**
	 * {@link #replaceDetections(ImagePlus, Collection, List, String, List)} with each detection's object
	 * number given, e.g. its track through a stack ({@code tracks}: each number also becomes the ROI's
	 * group, so that a track has one colour on every plane).
	 */
	public static void replaceDetections(final ImagePlus image, final Collection<PlanePosition> processed,
		final List<PlaneKeypoints> detections, final List<Integer> numbers, final boolean tracks, final String modelName,
		final List<String> keypointNames)
	{
		final Overlay overlay = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		// By index: Overlay.remove(Roi) removes the first *equal* ROI, which may be the user's own copy.
		for (int index = overlay.size() - 1; index >= 0; index--) {
			final Roi roi = overlay.get(index);
			if (isDetection(roi) && processed.stream().anyMatch(plane -> plane.holds(roi))) overlay.remove(index);
		}
		for (final PointRoi roi : detectionRois(image, detections, numbers, tracks, modelName, keypointNames)) overlay.add(roi);
		image.setOverlay(overlay);
	}

	/** Object numbers counted per plane, from 1, in the detections' order. */
	public static List<Integer> numberedPerPlane(final List<PlaneKeypoints> detections) {
		final List<Integer> numbers = new ArrayList<>();
		int object = 0;
		PlanePosition previous = null;
		for (final PlaneKeypoints found : detections) {
			object = found.plane().equals(previous) ? object + 1 : 1;
			previous = found.plane();
			numbers.add(object);
		}
		return numbers;
	}

	/**
	 * Detections as KeypointJ shows them: one point selection per object, on its plane, named
	 * "keypoints PLANE" for object 1 and "keypoints PLANE-N" for object (or track) N, marked as detections.
	 */
	public static List<PointRoi> detectionRois(final ImagePlus image, final List<PlaneKeypoints> detections,
		final List<Integer> numbers, final boolean tracks, final String modelName, final List<String> keypointNames)
	{
		final List<PointRoi> rois = new ArrayList<>();
		for (int i = 0; i < detections.size(); i++) {
			final PlaneKeypoints found = detections.get(i);
			final int object = numbers.get(i);
			final PointRoi roi = pointRoi(found.x(), found.y(), found.plane(), image);
			roi.setName("keypoints " + found.plane().stackIndex() + (object > 1 ? "-" + object : ""));
			roi.setStrokeColor(DETECTED_COLOR);
			if (tracks && object <= MAX_GROUP) roi.setGroup(object);
			roi.setPointType(PointRoi.CROSSHAIR);
			roi.setProperty(ROLE, DETECTED);
			roi.setProperty(MODEL, modelName);
			roi.setProperty(NAMES, String.join(NAME_SEPARATOR, keypointNames));
			if (tracks) roi.setProperty(TRACK, String.valueOf(object));
			rois.add(roi);
		}
		return rois;
	}

	/** The largest ROI group ImageJ has. */
	private static final int MAX_GROUP = 255;
	/** A tracked detection's track number. */
	public static final String TRACK = "keypointj.track";

	/** Whether KeypointJ wrote {@code roi} as a detection. */
	public static boolean isDetection(final Roi roi) {
		return DETECTED.equals(roi.getProperty(ROLE));
	}

	/** The detections in {@code image}'s overlay, in overlay order. */
	public static List<PointRoi> detections(final ImagePlus image) {
		final List<PointRoi> found = new ArrayList<>();
		if (image.getOverlay() == null) return found;
		for (final Roi roi : image.getOverlay().toArray()) {
			if (isDetection(roi) && roi instanceof PointRoi) found.add((PointRoi) roi);
		}
		return found;
	}
}
