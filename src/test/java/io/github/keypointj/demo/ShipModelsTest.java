package io.github.keypointj.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.measure.ResultsTable;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipModelsTest {

	/** ImageJ quotes a model name with a comma; reading the summary must not shift the columns. */
	@Test
	void summaryFiguresStayInTheirColumnsWhenTheModelNameHasACommma(@TempDir final Path folder) throws Exception {
		final ResultsTable table = new ResultsTable();
		final String[] predictors = { "300-W face, 68 points", "mean shape (training set)" };
		final double[] errors = { 5.78, 9.12 };
		for (int r = 0; r < 2; r++) {
			table.incrementCounter();
			table.addValue("Predictor", predictors[r]);
			table.addValue("Mean error (px)", errors[r]);
			table.addValue("NME (%)", 10 * errors[r]);
		}
		final Path csv = folder.resolve("summary.csv");
		table.saveAs(csv.toString());
		final Map<String, String> figures = ShipModels.readSummary(csv);
		assertEquals(5.78, Double.parseDouble(figures.get("Mean error (px)")), 1e-9, figures.toString());
		assertEquals(57.8, Double.parseDouble(figures.get("NME (%)")), 1e-9, figures.toString());
		assertEquals(91.2, Double.parseDouble(figures.get("mean shape: NME (%)")), 1e-9, figures.toString());
	}
}
