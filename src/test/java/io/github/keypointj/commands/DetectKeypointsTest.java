package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.HyperStackConverter;
import ij.plugin.frame.RoiManager;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.data.CropRecipe;

import java.awt.Rectangle;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;

/** Detect Keypoints run as Fiji runs it: through SciJava's CommandService. */
class DetectKeypointsTest {

	/** The test model's answer, whatever the image: points at (0.25, 0.5) and (0.75, 0.1) of its input. */
	private static final float[] ANSWER = { 0.25f, 0.5f, 0.75f, 0.1f };

	private static Context context;

	@TempDir
	static Path folder;

	private static Path wholeImageModel;
	private static Path boxModel;

	@BeforeAll
	static void setUp() {
		context = new Context();
		wholeImageModel = TestModels.constant(folder.resolve("whole.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			ANSWER);
		boxModel = TestModels.constant(folder.resolve("box.zip"), TestModels.small(2, 1, CropRecipe.squareAroundBox(2)),
			ANSWER);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule detect(final ImagePlus image, final Object... extra) throws Exception {
		final Object[] inputs = { "imp", image, "model", wholeImageModel.toFile(), "all_slices", true, "region",
			"whole image", "show_table", false, "device", "cpu", "csv_file", null, "refine_rounds", 0 };
		final Object[] all = Arrays.copyOf(inputs, inputs.length + extra.length);
		System.arraycopy(extra, 0, all, inputs.length, extra.length);
		return Commands.run(context, DetectKeypoints.class, all);
	}

	@Test
	void onePointRoiPerPlaneAtTheModelsPositionsLeavingTheUsersRoisAlone() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 120, 90, 3);
		final Overlay overlay = new Overlay();
		final Roi userBox = new Roi(5, 5, 30, 20);
		final PointRoi userPoints = new PointRoi(new float[] { 3.5f }, new float[] { 4.5f }, 1);
		userPoints.setPosition(2);
		overlay.add(userBox);
		overlay.add(userPoints);
		image.setOverlay(overlay);

		final CommandModule module = detect(image);
		assertFalse(module.isCanceled(), "reason: [" + module.getCancelReason() + "]");

		final List<PointRoi> detections = KeypointOverlay.detections(image);
		assertEquals(3, detections.size());
		for (int plane = 1; plane <= 3; plane++) {
			final PointRoi roi = detections.get(plane - 1);
			assertEquals(plane, roi.getPosition());
			// x = t * width - 0.5 in ImageJ pixel coordinates (pixel centres at integers)
			assertPoints(roi, 0.25 * 120 - 0.5, 0.5 * 90 - 0.5, 0.75 * 120 - 0.5, 0.1 * 90 - 0.5);
		}
		assertEquals(5, image.getOverlay().size());
		assertSame(userBox, image.getOverlay().get(0));
		assertSame(userPoints, image.getOverlay().get(1));
		assertEquals(new Rectangle(5, 5, 30, 20), userBox.getBounds());
		assertNull(RoiManager.getInstance(), "the ROI Manager is not touched");
	}

	/** A plane the model can give no number for gets no points, and the result names it (issue 14, case 6). */
	@Test
	void aPlaneWithNaNPixelsGetsNoPointsAndIsNamed() throws Exception {
		final ImagePlus image = TestImages.stack("32-bit", 120, 90, 3);
		image.getStack().getProcessor(2).putPixelValue(10, 10, Double.NaN);
		final DetectionResult result = Detection.run(image, new DetectionRequest(wholeImageModel, true,
			Region.WHOLE_IMAGE, DeviceChoice.CPU, 0), Progress.NONE);
		assertEquals(List.of("slice 2 (plane 2): keypoint 1 is not a number"), result.rejected());
		assertEquals(2, result.keypoints().size());
		final List<PointRoi> written = KeypointOverlay.detections(image);
		assertEquals(List.of(1, 3), written.stream().map(PointRoi::getPosition).toList());

		final CommandModule module = detect(image);
		assertFalse(module.isCanceled(), "the other planes are detected: " + module.getCancelReason());
		assertEquals(2, KeypointOverlay.detections(image).size());
	}

	/**
	 * csv_file follows Export's rule (issue 14, case 3): an existing file is replaced only with
	 * overwrite=true, and a file that cannot be written stops the command before the overlay changes.
	 */
	@Test
	void theCsvFileIsReplacedOnlyWhenAskedAndTheImageChangesOnlyWithIt() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 120, 90, 2);
		final Path csv = Files.writeString(folder.resolve("keep me.csv"), "a user's table");
		final CommandModule refused = detect(image, "csv_file", csv.toFile());
		assertTrue(refused.isCanceled());
		assertEquals("csv_file: " + csv + " exists; choose another file or set overwrite=true.", refused.getCancelReason());
		assertEquals("a user's table", Files.readString(csv));
		assertNull(image.getOverlay(), "the image is left as it was");

		final File nowhere = folder.resolve("no such folder").resolve("points.csv").toFile();
		final CommandModule noFolder = detect(image, "csv_file", nowhere);
		assertTrue(noFolder.getCancelReason().startsWith("csv_file: the folder "), noFolder.getCancelReason());
		assertNull(image.getOverlay());

		final CommandModule replaced = detect(image, "csv_file", csv.toFile(), "overwrite", true);
		assertFalse(replaced.isCanceled(), replaced.getCancelReason());
		assertEquals(1 + 2 * 2, Files.readAllLines(csv).size(), "a header and two points on each of two planes");
		assertEquals(2, KeypointOverlay.detections(image).size());
	}

	/** A negative refine_rounds is refused by name, not clamped (issue 14, case 5). */
	/**
	 * A macro that gives every key but the optional CSV file: SciJava's file preprocessor would open a file
	 * chooser for it (headless: cancel without a word), as the ImageJ2 runtime showed.
	 */
	@Test
	void everyKeyButTheOptionalCsvFileRunsWithoutAFileChooser() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		final CommandModule module = Commands.run(context, DetectKeypoints.class, "imp", image, "model",
			wholeImageModel.toFile(), "all_slices", true, "region", "whole image", "show_table", false, "overwrite", false,
			"device", "cpu", "refine_rounds", 0, "min_confidence", 0.5);
		assertFalse(module.isCanceled(), "cancelled: '" + module.getCancelReason() + "'");
		assertEquals(2, KeypointOverlay.detections(image).size());
	}

	@Test
	void aNegativeRefineRoundsIsNamed() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 120, 90, 1);
		final CommandModule module = detect(image, "refine_rounds", -5);
		assertEquals("refine_rounds=-5 is negative; give 0 or more rounds.", module.getCancelReason());
		assertNull(image.getOverlay());
	}

	@Test
	void rerunningReplacesOnlyKeypointJsPointsOnTheProcessedPlanes() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 120, 90, 3);
		detect(image);
		final List<PointRoi> first = KeypointOverlay.detections(image);
		image.setSlice(2);
		detect(image, "all_slices", false);
		final List<PointRoi> second = KeypointOverlay.detections(image);
		assertEquals(3, second.size());
		// Identity, not equals: ImageJ's Roi.equals compares geometry, and the new points equal the old.
		assertSame(first.get(0), second.get(0), "plane 1 kept");
		assertSame(first.get(2), second.get(1), "plane 3 kept");
		assertFalse(second.stream().anyMatch(roi -> roi == first.get(1)), "plane 2 replaced");
		assertEquals(2, second.get(2).getPosition());
	}

	@Test
	void aUsersRoiEqualToADetectionSurvivesARerun() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 120, 90, 1);
		detect(image);
		final PointRoi detected = KeypointOverlay.detections(image).get(0);
		// Not clone(): a cloned Roi shares its properties with the original.
		final PointRoi usersCopy = new PointRoi(detected.getFloatPolygon());
		usersCopy.setPosition(detected.getPosition());
		assertEquals(detected, usersCopy, "ImageJ sees the two as equal");
		image.getOverlay().add(usersCopy);
		detect(image);
		assertTrue(Arrays.stream(image.getOverlay().toArray()).anyMatch(roi -> roi == usersCopy));
		assertEquals(2, image.getOverlay().size());
	}

	@Test
	void eachBoxInTheOverlayIsOneObjectMappedBackToTheImage() throws Exception {
		final ImagePlus image = TestImages.stack("16-bit", 200, 150, 2);
		final Overlay overlay = new Overlay();
		final Roi first = new Roi(20, 20, 40, 20);
		first.setPosition(1);
		final Roi second = new Roi(100, 50, 60, 60);
		second.setPosition(1);
		final Roi onPlaneTwo = new Roi(10, 100, 30, 30);
		onPlaneTwo.setPosition(2);
		overlay.add(first);
		overlay.add(second);
		overlay.add(onPlaneTwo);
		image.setOverlay(overlay);

		detect(image, "region", "boxes in overlay", "model", boxModel.toFile());

		final List<PointRoi> detections = KeypointOverlay.detections(image);
		assertEquals(3, detections.size());
		// Box (20, 20, 40, 20), crop = square of 2 x 40 around its centre (40, 30): (0, -10, 80, 80)
		assertPoints(detections.get(0), 0 + 0.25 * 80 - 0.5, -10 + 0.5 * 80 - 0.5, 0 + 0.75 * 80 - 0.5,
			-10 + 0.1 * 80 - 0.5);
		// Box (100, 50, 60, 60): crop (70, 20, 120, 120)
		assertPoints(detections.get(1), 70 + 0.25 * 120 - 0.5, 20 + 0.5 * 120 - 0.5, 70 + 0.75 * 120 - 0.5,
			20 + 0.1 * 120 - 0.5);
		assertEquals(2, detections.get(2).getPosition());
	}

	/**
	 * A box-trained model on the whole image finds the object by itself: first the whole 200x100 image
	 * is the crop, then twice the box of the points found, until the box stops moving.
	 */
	@Test
	void boxTrainedModelsRefineTheirOwnBoxOnTheWholeImage() throws Exception {
		final Path halfCrop = TestModels.constant(folder.resolve("half.zip"), TestModels.small(2, 1,
			CropRecipe.squareAroundBox(2)), 0.25f, 0.25f, 0.75f, 0.75f);
		final ImagePlus once = TestImages.stack("8-bit", 200, 100, 1);
		detect(once, "model", halfCrop.toFile(), "refine_rounds", 0);
		assertPoints(KeypointOverlay.detections(once).get(0), 49.5, 24.5, 149.5, 74.5);
		// Box of those points (50, 25, 100, 50); twice its longer side, centred: the crop (0, -50, 200, 200).
		final ImagePlus refined = TestImages.stack("8-bit", 200, 100, 1);
		detect(refined, "model", halfCrop.toFile(), "refine_rounds", 3);
		assertPoints(KeypointOverlay.detections(refined).get(0), 49.5, -0.5, 149.5, 99.5);
	}

	@Test
	void aSelectionIsTheRegion() throws Exception {
		final ImagePlus image = TestImages.stack("32-bit", 100, 100, 1);
		image.setRoi(new Roi(10, 30, 40, 60));
		detect(image, "region", "selection");
		assertPoints(KeypointOverlay.detections(image).get(0), 10 + 0.25 * 40 - 0.5, 30 + 0.5 * 60 - 0.5,
			10 + 0.75 * 40 - 0.5, 30 + 0.1 * 60 - 0.5);
		assertEquals(new Rectangle(10, 30, 40, 60), image.getRoi().getBounds(), "the selection stays");
	}

	@Test
	void hyperstackPointsShowOnEveryChannelOfTheirSliceAndFrame() throws Exception {
		final ImagePlus image = HyperStackConverter.toHyperStack(TestImages.stack("8-bit", 64, 48, 8), 2, 2, 2);
		detect(image);
		final List<PointRoi> detections = KeypointOverlay.detections(image);
		assertEquals(4, detections.size());
		for (final PointRoi roi : detections) {
			assertTrue(roi.hasHyperStackPosition());
			assertEquals(0, roi.getCPosition());
		}
		assertEquals(List.of("1,1", "2,1", "1,2", "2,2"),
			detections.stream().map(r -> r.getZPosition() + "," + r.getTPosition()).toList());
	}

	@Test
	void rgbImagesAndTheTableFile() throws Exception {
		final ImagePlus image = TestImages.stack("RGB", 80, 60, 2);
		final File csv = folder.resolve("keypoints.csv").toFile();
		final CommandModule module = detect(image, "csv_file", csv, "show_table", true);
		assertFalse(module.isCanceled(), "reason: [" + module.getCancelReason() + "]");
		final List<String> lines = Files.readAllLines(csv.toPath());
		assertEquals(1 + 2 * 2, lines.size(), lines.toString());
		assertTrue(lines.get(0).contains("Slice") && lines.get(0).contains("Name") && lines.get(0).contains("X"));
		assertTrue(lines.get(3).contains("plane 2"), lines.get(3));
		assertTrue(lines.get(3).contains("19.5"), lines.get(3)); // 0.25 * 80 - 0.5
	}

	@Test
	void pointCoordinatesKeepTheirFractions() {
		final ImagePlus image = TestImages.stack("8-bit", 10, 10, 1);
		final PointRoi roi = KeypointOverlay.pointRoi(new double[] { 2.25 }, new double[] { 7.75 },
			io.github.keypointj.data.PlanePosition.of(image, 1), image);
		assertEquals(2.25, roi.getFloatPolygon().xpoints[0], 1e-6);
		assertEquals(7.75, roi.getFloatPolygon().ypoints[0], 1e-6);
	}

	@Test
	void badInputsGiveAClearMessageAndChangeNothing() throws Exception {
		final Path text = Files.writeString(folder.resolve("notes.txt"), "not a model");
		final byte[] bytes = Files.readAllBytes(wholeImageModel);
		final Path truncated = Files.write(folder.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 3));
		final Path missing = folder.resolve("missing.zip");

		assertRefused("16-bit", new Object[] { "model", missing.toFile() }, "Model file not found: " + missing);
		assertRefused("16-bit", new Object[] { "model", text.toFile() }, text + " is not a usable KeypointJ model");
		assertRefused("16-bit", new Object[] { "model", truncated.toFile() }, truncated.toString());
		assertRefused("8-bit", new Object[] { "device", "gpu" }, "device=gpu was asked for");
		assertRefused("8-bit", new Object[] { "region", "selection" }, "region=selection, but 'test stack' has no area selection");
		assertRefused("8-bit", new Object[] { "region", "boxes in overlay" }, "has no rectangle on the planes to process");
		assertRefused("8-bit", new Object[] { "region", "everywhere" }, "region: 'everywhere' is not one of");

		final CommandModule noImage = detect(new ImagePlus());
		assertTrue(noImage.getCancelReason().contains("There is no image open"), noImage.getCancelReason());
	}

	private static void assertRefused(final String type, final Object[] inputs, final String message) throws Exception {
		final ImagePlus image = TestImages.stack(type, 64, 48, 2);
		final Overlay overlay = new Overlay();
		final PointRoi users = new PointRoi(new float[] { 1f }, new float[] { 2f }, 1);
		overlay.add(users);
		image.setOverlay(overlay);
		final CommandModule module = detect(image, inputs);
		assertTrue(module.isCanceled(), message);
		assertTrue(module.getCancelReason().contains(message), module.getCancelReason());
		assertEquals(1, image.getOverlay().size(), message);
		assertSame(users, image.getOverlay().get(0));
	}

	static void assertPoints(final PointRoi roi, final double... xy) {
		final float[] x = roi.getFloatPolygon().xpoints;
		final float[] y = roi.getFloatPolygon().ypoints;
		assertEquals(xy.length / 2, roi.getFloatPolygon().npoints);
		for (int k = 0; k < xy.length / 2; k++) {
			assertEquals(xy[2 * k], x[k], 1e-3, "x of point " + k);
			assertEquals(xy[2 * k + 1], y[k], 1e-3, "y of point " + k);
		}
	}

}
