package io.github.keypointj.data;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

	private static final Color DETECTED_COLOR = new Color(255, 64, 64);

	private KeypointOverlay() {}

	/** A PointRoi of {@code x, y} (image pixel coordinates), placed on {@code plane}. */
	public static PointRoi pointRoi(final double[] x, final double[] y, final PlanePosition plane, final ImagePlus image) {
		final float[] xs = new float[x.length];
		final float[] ys = new float[y.length];
		for (int i = 0; i < x.length; i++) {
			xs[i] = (float) x[i];
			ys[i] = (float) y[i];
		}
		final PointRoi roi = new PointRoi(xs, ys, xs.length);
		plane.place(roi, image);
		if (!roi.hasHyperStackPosition()) {
			// ImageJ saves a PointRoi's stack position per point, and only when it has counters: without
			// them the position would be lost in a TIFF round trip.
			final int[] counters = new int[xs.length];
			java.util.Arrays.fill(counters, plane.stackIndex() << 8);
			roi.setCounters(counters);
		}
		return roi;
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
