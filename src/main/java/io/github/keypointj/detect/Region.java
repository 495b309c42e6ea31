package io.github.keypointj.detect;

import io.github.keypointj.KeypointException;

/** Where on a plane the object (face, wing, ...) is. */
public enum Region {
	/** The whole plane is the object's region. */
	WHOLE_IMAGE("whole image"),
	/** The image's current selection (its bounding box), on every processed plane. */
	SELECTION("selection"),
	/** Every rectangle in the overlay on a plane is one object. */
	BOXES_IN_OVERLAY("boxes in overlay");

	/** The choices as they appear in dialogs and macros. */
	public static final String[] LABELS = { "whole image", "selection", "boxes in overlay" };

	private final String label;

	Region(final String label) {
		this.label = label;
	}

	public String label() {
		return label;
	}

	public static Region fromLabel(final String label) {
		for (final Region region : values()) {
			if (region.label.equalsIgnoreCase(label == null ? "" : label.trim())) return region;
		}
		throw new KeypointException("region: '" + label + "' is not one of " + String.join(", ", LABELS) + ".");
	}
}
