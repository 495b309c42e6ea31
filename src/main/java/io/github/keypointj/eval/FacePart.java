package io.github.keypointj.eval;

/**
 * The parts of the iBUG 68-point face (0-based indices, as 300-W numbers them from 1): where a face
 * model's errors lie.
 */
public enum FacePart {

	JAW("jaw", 0, 16), BROWS("brows", 17, 26), NOSE("nose", 27, 35), EYES("eyes", 36, 47), MOUTH("mouth", 48, 67);

	/** The number of points of the scheme. */
	public static final int POINTS = 68;

	private final String label;
	private final int first, last;

	FacePart(final String label, final int first, final int last) {
		this.label = label;
		this.first = first;
		this.last = last;
	}

	public String label() {
		return label;
	}

	public boolean contains(final int keypoint) {
		return keypoint >= first && keypoint <= last;
	}

	/** The part of a keypoint of the 68-point scheme. */
	public static FacePart of(final int keypoint) {
		for (final FacePart part : values()) {
			if (part.contains(keypoint)) return part;
		}
		throw new IllegalArgumentException("keypoint " + keypoint + " is not one of the " + POINTS + " of a face");
	}
}
