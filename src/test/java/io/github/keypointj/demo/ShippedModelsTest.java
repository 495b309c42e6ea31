package io.github.keypointj.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The models in sample-images/models load, describe themselves and still find what they found when published. */
class ShippedModelsTest {

	private static final Path MODELS = Paths.get("sample-images", "models");
	private static final Path PHOTOS = Paths.get("sample-images", "photos");
	/** Room for other CPUs' and thread counts' rounding; a changed network or pipeline moves points much further. */
	private static final double TOLERANCE_PX = 0.5;

	@Test
	void everyPublishedModelIsShippedWithItsFiguresAndTerms() {
		for (final ShipModels.Shipment shipment : ShipModels.SHIPMENTS) {
			final Path file = MODELS.resolve(shipment.file());
			assertTrue(Files.exists(file), file + " is missing");
			final ModelDescription description = ModelFile.readDescription(file);
			assertEquals(shipment.name(), description.name());
			assertEquals(shipment.terms(), description.dataTerms());
			assertEquals(shipment.evaluatedOn(), description.evaluation().get("evaluated on"));
			assertNotNull(description.evaluation().get("Mean error (px)"), file + " has no evaluation figures");
			assertFalse(description.history().isEmpty(), file + " has no training history");
			assertNotNull(description.trainingSettings().get("epochs"));
		}
	}

	@Test
	void shippedModelsStillFindWhatTheyFoundWhenPublished() throws IOException {
		final Map<String, List<double[]>> expected = readExpected();
		assertEquals(ShipModels.SHIPMENTS.size() * 3, expected.size(), "one entry per model and photo");
		for (final Map.Entry<String, List<double[]>> entry : expected.entrySet()) {
			final String[] modelAndPhoto = entry.getKey().split(",");
			final List<PlaneKeypoints> found = ShipModels.detect(MODELS.resolve(modelAndPhoto[0]), PHOTOS.resolve(
				modelAndPhoto[1]), 3);
			final PlaneKeypoints points = found.get(0);
			assertEquals(entry.getValue().size(), points.count(), entry.getKey());
			for (int i = 0; i < points.count(); i++) {
				final double[] xy = entry.getValue().get(i);
				final double shift = Math.hypot(points.x()[i] - xy[0], points.y()[i] - xy[1]);
				assertTrue(shift < TOLERANCE_PX, entry.getKey() + " point " + (i + 1) + " moved by " + shift + " px");
			}
		}
	}

	/** "model,photo" to its points in order, from the file ShipModels wrote. */
	private static Map<String, List<double[]>> readExpected() throws IOException {
		final Map<String, List<double[]>> expected = new LinkedHashMap<>();
		try (var in = ShippedModelsTest.class.getResourceAsStream("/shipped-detections.csv")) {
			final String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
			for (int l = 1; l < lines.length; l++) {
				final String[] v = lines[l].trim().split(",");
				expected.computeIfAbsent(v[0] + "," + v[1], k -> new java.util.ArrayList<>())
					.add(new double[] { Double.parseDouble(v[3]), Double.parseDouble(v[4]) });
			}
		}
		return expected;
	}
}
