package io.github.keypointj.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import io.github.keypointj.Progress;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.PointErrors;
import io.github.keypointj.io.ImageFiles;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
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
		final Map<String, List<PlaneKeypoints>> expected = readExpected();
		final List<Path> photos = ImageFiles.list(PHOTOS);
		assertEquals(4, photos.size());
		for (final ShipModels.Shipment shipment : ShipModels.SHIPMENTS) {
			for (final Path photo : photos) {
				final String key = shipment.file() + "," + photo.getFileName();
				// A photo on which a model found nothing has no rows.
				final List<PlaneKeypoints> published = expected.getOrDefault(key, List.of());
				final List<PlaneKeypoints> found = ShipModels.detect(MODELS.resolve(shipment.file()), photo, 3);
				assertEquals(published.size(), found.size(), key + ": objects found");
				assertPublished(key, published, found);
			}
		}
		assertTrue(expected.keySet().stream().allMatch(key -> ShipModels.SHIPMENTS.stream().anyMatch(shipment -> key
			.startsWith(shipment.file() + ","))), "no rows of models no longer shipped: " + expected.keySet());
	}

	/** Each published object's points are where the model finds them now. */
	private static void assertPublished(final String key, final List<PlaneKeypoints> expected,
		final List<PlaneKeypoints> found)
	{
		for (final PlaneKeypoints published : expected) {
			final PlaneKeypoints points = ShipModels.nearest(published, found);
			assertEquals(published.count(), points.count(), key);
			for (int i = 0; i < points.count(); i++) {
				final double shift = Math.hypot(points.x()[i] - published.x()[i], points.y()[i] - published.y()[i]);
				assertTrue(shift < TOLERANCE_PX, key + " point " + (i + 1) + " moved by " + shift + " px");
			}
		}
	}

	/**
	 * The heatmap model needs no box: on each sample photo the 68 points it finds by itself lie within 5 %
	 * of the inter-ocular distance (mean) of those it finds in the sample box, and the photo of two faces
	 * gives two.
	 */
	@Test
	void theHeatmapModelFindsTheSampleFacesWithoutABox() throws IOException {
		final Path model = MODELS.resolve("300w-face-68-heatmap.zip");
		final List<String> boxes = Files.readAllLines(Paths.get("sample-images", "face-boxes.csv"));
		for (final String row : boxes.subList(1, boxes.size())) {
			final String[] v = row.split(",");
			final ImagePlus photo = IJ.openImage(PHOTOS.resolve(v[0]).toString());
			photo.setRoi(new Roi(Integer.parseInt(v[1]), Integer.parseInt(v[2]), Integer.parseInt(v[3]),
				Integer.parseInt(v[4])));
			final PlaneKeypoints inBox = Detection.run(photo, new DetectionRequest(model, false, Region.SELECTION,
				DeviceChoice.CPU, 3), Progress.NONE).keypoints().get(0);
			photo.deleteRoi();
			final List<PlaneKeypoints> found = ShipModels.detect(model, PHOTOS.resolve(v[0]), 3);
			final double nme = PointErrors.of(ShipModels.nearest(inBox, found), inBox).nme();
			assertTrue(nme < 5, v[0] + ": the points found without a box are " + nme + " % of the eye distance away");
		}
		assertEquals(2, ShipModels.detect(model, PHOTOS.resolve("two-faces.jpg"), 3).size(), "two faces");
	}

	/** "model,photo" to the objects found, each its points in order, from the file ShipModels wrote. */
	private static Map<String, List<PlaneKeypoints>> readExpected() throws IOException {
		final Map<String, List<List<double[]>>> rows = new LinkedHashMap<>();
		try (var in = ShippedModelsTest.class.getResourceAsStream("/shipped-detections.csv")) {
			final String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
			for (int l = 1; l < lines.length; l++) { // model,photo,object,point,x,y
				final String[] v = lines[l].trim().split(",");
				final List<List<double[]>> objects = rows.computeIfAbsent(v[0] + "," + v[1], k -> new ArrayList<>());
				final int object = Integer.parseInt(v[2]);
				while (objects.size() < object) objects.add(new ArrayList<>());
				objects.get(object - 1).add(new double[] { Double.parseDouble(v[4]), Double.parseDouble(v[5]) });
			}
		}
		final Map<String, List<PlaneKeypoints>> expected = new LinkedHashMap<>();
		rows.forEach((key, objects) -> expected.put(key, objects.stream().map(points -> new PlaneKeypoints(null, null,
			points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray())).toList()));
		return expected;
	}
}
