package io.github.keypointj.data;

import ij.ImagePlus;
import ij.gui.Roi;

import java.util.ArrayList;
import java.util.List;

/**
 * One plane of an image, the unit keypoints belong to: its 1-based index in the stack and its
 * hyperstack position.
 */
public record PlanePosition(int stackIndex, int channel, int slice, int frame) {

	public static PlanePosition of(final ImagePlus image, final int stackIndex) {
		final int[] czt = image.convertIndexToPosition(stackIndex);
		return new PlanePosition(stackIndex, czt[0], czt[1], czt[2]);
	}

	/**
	 * The planes to process: every (slice, frame) of the image at the channel on view, or only the
	 * plane on view.
	 */
	public static List<PlanePosition> toProcess(final ImagePlus image, final boolean allPlanes) {
		final List<PlanePosition> planes = new ArrayList<>();
		if (!allPlanes) {
			planes.add(current(image));
			return planes;
		}
		final int channel = image.getC();
		for (int frame = 1; frame <= image.getNFrames(); frame++) {
			for (int slice = 1; slice <= image.getNSlices(); slice++) {
				planes.add(of(image, image.getStackIndex(channel, slice, frame)));
			}
		}
		return planes;
	}

	/** The plane the user is looking at. */
	public static PlanePosition current(final ImagePlus image) {
		return of(image, image.getCurrentSlice());
	}

	/** Puts {@code roi} on this plane: on every channel of a hyperstack, so it shows whichever channel is on view. */
	public void place(final Roi roi, final ImagePlus image) {
		if (image.isHyperStack()) roi.setPosition(0, slice, frame);
		else roi.setPosition(stackIndex);
	}

	/**
	 * The stack index of a positioned ROI (on a hyperstack without a channel of its own: the channel on
	 * view), or 0 for a ROI without a position.
	 */
	public static int stackIndexOf(final Roi roi, final ImagePlus image) {
		if (!roi.hasHyperStackPosition()) return Math.max(0, roi.getPosition());
		final int c = roi.getCPosition(), z = roi.getZPosition(), t = roi.getTPosition();
		return image.getStackIndex(c > 0 ? c : image.getC(), z > 0 ? z : 1, t > 0 ? t : 1);
	}

	/** Whether {@code roi} is on this plane and no other, as {@link #place} puts it (any channel of a hyperstack). */
	public boolean holds(final Roi roi) {
		if (roi.hasHyperStackPosition()) return roi.getZPosition() == slice && roi.getTPosition() == frame;
		return roi.getPosition() == stackIndex;
	}

	/** Whether {@code roi}, as positioned in an overlay, shows on this plane (an unpositioned ROI shows on all). */
	public boolean shows(final Roi roi) {
		if (roi.hasHyperStackPosition()) {
			return (roi.getCPosition() == 0 || roi.getCPosition() == channel) &&
				(roi.getZPosition() == 0 || roi.getZPosition() == slice) &&
				(roi.getTPosition() == 0 || roi.getTPosition() == frame);
		}
		return roi.getPosition() == 0 || roi.getPosition() == stackIndex;
	}
}
