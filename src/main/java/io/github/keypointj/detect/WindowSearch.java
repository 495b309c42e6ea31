package io.github.keypointj.detect;

import io.github.keypointj.data.CropBox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geometry of looking for objects on a whole plane: which square windows a heatmap model is shown,
 * and which of its answers are distinct objects.
 * <p>
 * Windows are model inputs (crops), of sides from the plane's longer side down by {@code 1/sqrt(2)} per
 * scale to {@link #SMALLEST_OBJECT} of the shorter side (as an object's box), placed every quarter side
 * (reaching past the plane by the crop's margin around the box, for objects at its edge):
 * an object is then never more than an eighth of a window and a sixth of its size from one, within the
 * shifts and scales the heatmap network was trained with.
 */
final class WindowSearch {

	/** The smallest object looked for, as a fraction of the plane's shorter side. */
	static final double SMALLEST_OBJECT = 1 / 8.0;
	/** The smallest window side in pixels: smaller objects have too few pixels to place 68 points on. */
	static final double SMALLEST_WINDOW = 48;
	/** Windows refined per plane: the strongest ones apart from each other. */
	static final int CANDIDATES = 6;
	/** Two objects whose boxes overlap more than this (intersection over union) are one. */
	static final double SAME_OBJECT_OVERLAP = 0.3;

	private WindowSearch() {}

	/** The windows for a {@code width x height} plane and a model whose crop is {@code boxScale} times the box. */
	static List<CropBox> windows(final int width, final int height, final double boxScale) {
		final List<CropBox> windows = new ArrayList<>();
		final double smallest = Math.max(SMALLEST_WINDOW, SMALLEST_OBJECT * Math.min(width, height) * boxScale);
		for (double side = Math.max(smallest, Math.max(width, height)); side >= smallest - 1e-9; side /= Math.sqrt(2)) {
			final double stride = side / 4;
			// A window may reach past the plane by its margin around the box: objects at the edge are found too.
			final double margin = side * (1 - 1 / boxScale) / 2;
			final double spanX = width - side + 2 * margin, spanY = height - side + 2 * margin;
			final int columns = spanX > 0 ? (int) Math.ceil(spanX / stride) + 1 : 1;
			final int rows = spanY > 0 ? (int) Math.ceil(spanY / stride) + 1 : 1;
			for (int row = 0; row < rows; row++) {
				for (int column = 0; column < columns; column++) {
					// spread evenly from edge to edge; a window larger than that is centred on the plane
					final double x = columns == 1 ? (width - side) / 2 : column * spanX / (columns - 1) - margin;
					final double y = rows == 1 ? (height - side) / 2 : row * spanY / (rows - 1) - margin;
					windows.add(new CropBox(x, y, side, side));
				}
			}
		}
		return windows;
	}

	/** The object box a window is the crop of: {@code 1 / boxScale} of it, centred. */
	static CropBox boxOf(final CropBox window, final double boxScale) {
		final double side = window.width() / boxScale;
		return new CropBox(window.x() + (window.width() - side) / 2, window.y() + (window.height() - side) / 2, side, side);
	}

	/**
	 * The {@code most} objects of highest mean confidence whose point boxes overlap no stronger one's by
	 * more than {@link #SAME_OBJECT_OVERLAP}, strongest first (non-maximum suppression).
	 */
	static List<DetectedObject> strongestApart(final List<DetectedObject> objects, final int most) {
		final List<DetectedObject> sorted = new ArrayList<>(objects);
		sorted.sort(Comparator.comparingDouble(DetectedObject::meanConfidence).reversed());
		final List<DetectedObject> kept = new ArrayList<>();
		for (final DetectedObject candidate : sorted) {
			if (kept.size() == most) break;
			boolean apart = true;
			for (final DetectedObject other : kept) {
				apart &= !candidate.points().plane().equals(other.points().plane()) ||
					overlap(box(candidate), box(other)) <= SAME_OBJECT_OVERLAP;
			}
			if (apart) kept.add(candidate);
		}
		return kept;
	}

	private static CropBox box(final DetectedObject object) {
		return CropBox.around(object.points().x(), object.points().y());
	}

	/** Intersection over union of two boxes. */
	static double overlap(final CropBox a, final CropBox b) {
		final double w = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
		final double h = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
		if (w <= 0 || h <= 0) return 0;
		final double intersection = w * h;
		return intersection / (a.width() * a.height() + b.width() * b.height() - intersection);
	}
}
