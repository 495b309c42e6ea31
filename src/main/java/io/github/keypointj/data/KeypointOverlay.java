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
	 * Replaces KeypointJ's earlier detections on {@code processed} planes with {@code detections};
	 * everything else in the overlay (the user's own ROIs, detections on other planes) stays.
	 */
	public static void replaceDetections(final ImagePlus image, final Collection<PlanePosition> processed,
		final List<PlaneKeypoints> detections, final String modelName, final List<String> keypointNames)
	{
		final Overlay overlay = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		// By index: Overlay.remove(Roi) removes the first *equal* ROI, which may be the user's own copy.
		for (int index = overlay.size() - 1; index >= 0; index--) {
			final Roi roi = overlay.get(index);
			if (isDetection(roi) && processed.stream().anyMatch(plane -> plane.holds(roi))) overlay.remove(index);
		}
		for (final PointRoi roi : detectionRois(image, detections, modelName, keypointNames)) overlay.add(roi);
		image.setOverlay(overlay);
	}

	/**
	 * Detections as KeypointJ shows them: one point selection per object, on its plane, named
	 * "keypoints PLANE" (and "-2", "-3", ... for further objects on a plane), marked as detections.
	 */
	public static List<PointRoi> detectionRois(final ImagePlus image, final List<PlaneKeypoints> detections,
		final String modelName, final List<String> keypointNames)
	{
		final List<PointRoi> rois = new ArrayList<>();
		int object = 0;
		PlanePosition previous = null;
		for (final PlaneKeypoints found : detections) {
			object = found.plane().equals(previous) ? object + 1 : 1;
			previous = found.plane();
			final PointRoi roi = pointRoi(found.x(), found.y(), found.plane(), image);
			roi.setName("keypoints " + found.plane().stackIndex() + (object > 1 ? "-" + object : ""));
			roi.setStrokeColor(DETECTED_COLOR);
			roi.setPointType(PointRoi.CROSSHAIR);
			roi.setProperty(ROLE, DETECTED);
			roi.setProperty(MODEL, modelName);
			roi.setProperty(NAMES, String.join(NAME_SEPARATOR, keypointNames));
			rois.add(roi);
		}
		return rois;
	}

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
