package io.github.keypointj.eval;

import ij.gui.Plot;
import io.github.keypointj.model.EpochRecord;

import java.awt.Color;
import java.util.List;

/** The report's loss figure: training and validation loss (mean squared error) per epoch. */
public final class LossPlot {

	private LossPlot() {}

	public static Plot of(final String title, final List<EpochRecord> history) {
		final Plot plot = new Plot(title, "epoch", "loss (MSE of normalised coordinates)");
		final double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
		plot.setColor(Color.BLUE, Color.BLUE);
		plot.addPoints(epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray(), Plot.CONNECTED_CIRCLES);
		plot.setLabel(-1, "training");
		if (history.stream().anyMatch(r -> !Double.isNaN(r.validationLoss()))) {
			plot.setColor(Color.RED, Color.RED);
			plot.addPoints(epochs, history.stream().mapToDouble(EpochRecord::validationLoss).toArray(),
				Plot.CONNECTED_CIRCLES);
			plot.setLabel(-1, "validation");
		}
		plot.setLogScaleY();
		plot.setLegend(null, Plot.AUTO_POSITION);
		plot.setLimitsToFit(false);
		return plot;
	}
}
