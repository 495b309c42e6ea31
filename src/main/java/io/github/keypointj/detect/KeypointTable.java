package io.github.keypointj.detect;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.data.PlaneKeypoints;

import java.util.List;

/** Detected keypoints as a table: one row per point, in image pixel coordinates. */
public final class KeypointTable {

	public static final String TITLE = "Keypoints";

	private KeypointTable() {}

	/**
	 * Columns: Slice (stack index), Label, Object (its track through the stack when tracked, else per plane,
	 * from 1), Point (from 1), Name, X, Y, and
	 * Confidence (0-1; NaN for models that regress coordinates, which give none).
	 */
	public static ResultsTable of(final ImagePlus image, final DetectionResult result) {
		final List<String> keypointNames = result.model().keypointNames();
		final ResultsTable table = new ResultsTable();
		final List<Integer> numbers = result.objectNumbers();
		for (int i = 0; i < result.objects().size(); i++) {
			final DetectedObject detected = result.objects().get(i);
			final PlaneKeypoints found = detected.points();
			final int object = numbers.get(i);
			final String label = image.getStack().getSliceLabel(found.plane().stackIndex());
			for (int k = 0; k < found.count(); k++) {
				table.incrementCounter();
				table.addValue("Slice", found.plane().stackIndex());
				table.addValue("Label", label == null ? image.getTitle() : label);
				table.addValue("Object", object);
				table.addValue("Point", k + 1); // as the Name column counts: "point 1" is point 1
				table.addValue("Name", keypointNames.get(k));
				table.addValue("X", found.x()[k]);
				table.addValue("Y", found.y()[k]);
				table.addValue("Confidence", detected.confidence()[k]);
			}
		}
		return table;
	}
}
