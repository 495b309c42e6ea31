package io.github.keypointj.eval;

import ij.gui.Plot;
import io.github.keypointj.model.EpochRecord;

import java.awt.Color;
import java.util.List;

/**
 * The report's loss figure: training and validation loss per epoch. Both are the mean squared error of
 * normalised coordinates for networks that regress them; a heatmap network trains on its own loss
 * ({@code train.HeatmapLoss}), and its validation loss stays the coordinates' MSE, so the legend says which.
 */
public final class LossPlot {

	private LossPlot() {}

	public static Plot of(final String title, final List<EpochRecord> history, final boolean heatmaps) {
		final Plot plot = new Plot(title, "epoch", heatmaps ? "loss" : "loss (MSE of normalised coordinates)");
		final double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
		plot.setColor(Color.BLUE, Color.BLUE);
		plot.addPoints(epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray(), Plot.CONNECTED_CIRCLES);
		plot.setLabel(-1, heatmaps ? "training (heatmap loss)" : "training");
		if (history.stream().anyMatch(r -> !Double.isNaN(r.validationLoss()))) {
			plot.setColor(Color.RED, Color.RED);
			plot.addPoints(epochs, history.stream().mapToDouble(EpochRecord::validationLoss).toArray(),
				Plot.CONNECTED_CIRCLES);
			plot.setLabel(-1, heatmaps ? "validation (MSE of normalised coordinates)" : "validation");
		}
		plot.setLogScaleY();
		plot.setLegend(null, Plot.AUTO_POSITION);
		plot.setLimitsToFit(false);
		return plot;
	}
}
