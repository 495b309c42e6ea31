package io.github.keypointj.demo;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Paths;

/**
 * Where a face model's errors lie, without showing a face (300-W's photos may not be published): the
 * model's mean shape, each keypoint a circle whose radius is its NME from Evaluate's per-keypoint table
 * ({@code keypoint_file}), one colour per test set.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.KeypointErrorMap MODEL.zip OUT.png LABEL=keypoints.csv...}
 */
public final class KeypointErrorMap {

	private static final int SIDE = 480;
	private static final Color[] COLOURS = { new Color(220, 40, 40), new Color(30, 90, 220), new Color(20, 150, 60) };

	private KeypointErrorMap() {}

	public static void main(final String[] args) throws Exception {
		final ModelDescription model = ModelFile.readDescription(Paths.get(args[0]));
		final float[] shape = model.meanShape();
		final ColorProcessor canvas = new ColorProcessor(SIDE, SIDE);
		canvas.setColor(Color.WHITE);
		canvas.fill();
		final Overlay overlay = new Overlay();
		// NME is in % of the outer-eye-corner distance: circles of that radius in the shape's own scale
		final double interOcular = Math.hypot(shape[2 * 36] - shape[2 * 45], shape[2 * 36 + 1] - shape[2 * 45 + 1]) * SIDE;
		for (int set = 2; set < args.length; set++) {
			final String[] labelled = args[set].split("=", 2);
			final ResultsTable table = ResultsTable.open(labelled[1]);
			for (int k = 0; k < table.size(); k++) {
				final double radius = table.getValue("NME (%)", k) / 100 * interOcular;
				final OvalRoi circle = new OvalRoi(shape[2 * k] * SIDE - radius, shape[2 * k + 1] * SIDE - radius, 2 * radius,
					2 * radius);
				circle.setStrokeColor(COLOURS[(set - 2) % COLOURS.length]);
				overlay.add(circle);
			}
			final TextRoi label = new TextRoi(10, 10 + 22 * (set - 2), labelled[0], new Font("SansSerif", Font.PLAIN, 16));
			label.setStrokeColor(COLOURS[(set - 2) % COLOURS.length]);
			overlay.add(label);
		}
		for (int k = 0; k < shape.length / 2; k++) {
			final OvalRoi dot = new OvalRoi(shape[2 * k] * SIDE - 1.5, shape[2 * k + 1] * SIDE - 1.5, 3, 3);
			dot.setFillColor(Color.BLACK);
			overlay.add(dot);
		}
		final ImagePlus image = new ImagePlus("errors", canvas);
		image.setOverlay(overlay);
		IJ.saveAs(image.flatten(), "png", args[1]);
		System.exit(0);
	}
}
