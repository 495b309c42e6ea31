package io.github.keypointj.demo;

import ij.ImagePlus;
import ij.io.FileSaver;
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
		canvas.setAntialiasedText(true);
		canvas.setFont(new Font("SansSerif", Font.PLAIN, 16));
		// NME is in % of the outer-eye-corner distance: circles of that radius in the shape's own scale
		final double interOcular = Math.hypot(shape[2 * 36] - shape[2 * 45], shape[2 * 36 + 1] - shape[2 * 45 + 1]) * SIDE;
		for (int set = 2; set < args.length; set++) {
			final String[] labelled = args[set].split("=", 2);
			final ResultsTable table = ResultsTable.open(labelled[1]);
			canvas.setColor(COLOURS[(set - 2) % COLOURS.length]);
			for (int k = 0; k < table.size(); k++) {
				final double radius = table.getValue("NME (%)", k) / 100 * interOcular;
				canvas.drawOval((int) Math.round(shape[2 * k] * SIDE - radius), (int) Math.round(shape[2 * k + 1] * SIDE - radius),
					(int) Math.round(2 * radius), (int) Math.round(2 * radius));
			}
			canvas.drawString(labelled[0], 10, 26 + 22 * (set - 2));
		}
		canvas.setColor(Color.BLACK);
		canvas.drawString("radius: the point's NME", 10, SIDE - 10);
		for (int k = 0; k < shape.length / 2; k++) {
			canvas.fillOval((int) Math.round(shape[2 * k] * SIDE - 2), (int) Math.round(shape[2 * k + 1] * SIDE - 2), 4, 4);
		}
		new FileSaver(new ImagePlus("errors", canvas)).saveAsPng(args[1]);
		System.exit(0);
	}
}
