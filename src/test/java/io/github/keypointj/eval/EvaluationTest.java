package io.github.keypointj.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

	/** The points of {@link #constantModel}: x0, y0, x1, y1, ... as fractions of its input. */
	private static final float[] ANSWER = new float[136];

	static {
		for (int k = 0; k < 68; k++) {
			ANSWER[2 * k] = 0.2f + 0.6f * (k % 10) / 10;
			ANSWER[2 * k + 1] = 0.2f + 0.6f * (k / 10) / 7;
		}
	}

	@TempDir
	Path folder;

	/** planes= is named as planes=, and may take every plane (issue 14, case 9). */
	/** A stopped evaluation gives no figures: those of the planes reached would pass for the model's. */
	@Test
	void aStoppedEvaluationWritesNothing() {
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 2);
		AnnotatedStack.annotate(image, twoFaces(image), AnnotatedStack.numberedNames(68), null);
		final Path csv = folder.resolve("stopped.csv");
		final Progress stopAtOnce = new Progress() {

			@Override
			public void report(final String status, final int done, final int total) {}

			@Override
			public boolean isCanceled() {
				return true;
			}
		};
		final EvaluationRun.Result result = EvaluationRun.run(image, new EvaluationRequest(constantModel(), "all", 0, csv,
			null, false, io.github.keypointj.engine.DeviceChoice.CPU), stopAtOnce);
		assertTrue(result.canceled());
		assertNull(result.evaluation());
		assertFalse(Files.exists(csv));
	}

	@Test
	void planesPicksPlanesAndNamesItself() {
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 3);
		final double[][] points = new double[2][68];
		for (int k = 0; k < 68; k++) {
			points[0][k] = 10 + k;
			points[1][k] = 5 + k / 2.0;
		}
		final AnnotatedStack stack = new AnnotatedStack(image, List.of(shifted(image, 1, points, 0, 0),
			shifted(image, 2, points, 1, 1), shifted(image, 3, points, 2, 2)), AnnotatedStack.numberedNames(68), 0, null);
		final ModelDescription model = TestModels.small(68, 1, CropRecipe.wholeRegion());
		assertEquals(3, Evaluation.select(stack, model, "slices 1-1000").objects().size());
		assertEquals(List.of(2, 3), Evaluation.select(stack, model, "slices 2-3").objects().stream()
			.map(o -> o.plane().stackIndex()).toList());
		final KeypointException none = assertThrows(KeypointException.class,
			() -> Evaluation.select(stack, model, "slices 999"));
		assertEquals("planes=slices 999 selects no annotated plane of 'test stack'.", none.getMessage());
		final KeypointException bad = assertThrows(KeypointException.class,
			() -> Evaluation.select(stack, model, "slices x"));
		assertEquals("planes: 'x' in 'slices x' is not a number or a range.", bad.getMessage());
	}

	/**
	 * A model that always predicts the same 68 points; planes annotated 5 px (3, 4) and 10 px (6, 8) away
	 * from them. By hand: errors 5 and 10 px, mean 7.5, median 7.5, MAE (3.5 + 7) / 2 = 5.25; the mean
	 * shape of the stack lies (4.5, 6) from the prediction, so 2.5 px from each plane's truth.
	 */
	@Test
	void errorsMaeNmeAndTheBaselineAsComputedByHand() {
		final Path file = constantModel();
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 2);
		final double[][] predicted = predicted();
		final AnnotatedStack stack = new AnnotatedStack(image, twoFaces(image), AnnotatedStack.numberedNames(68), 0, null);
		try (KeypointModel model = ModelFile.load(file, Device.cpu())) {
			final Evaluation evaluation = Evaluation.of(model, stack, Progress.NONE);
			assertEquals(5, evaluation.errors().get(0).meanError(), 1e-3);
			assertEquals(10, evaluation.errors().get(1).meanError(), 1e-3);
			final Evaluation.Summary summary = evaluation.summary();
			assertEquals(7.5, summary.model().meanError(), 1e-3, "mean");
			assertEquals(7.5, summary.model().medianError(), 1e-3, "median");
			assertEquals(5.25, summary.model().mae(), 1e-3, "MAE");
			final double interOcular = Math.hypot(predicted[0][36] - predicted[0][45], predicted[1][36] - predicted[1][45]);
			assertEquals(100 * 5 / interOcular, evaluation.errors().get(0).nme(), 1e-3, "NME");
			assertEquals(2.5, summary.meanShape().meanError(), 1e-3, "mean-shape baseline");
			assertFalse(evaluation.baselineFromTraining(), "this model keeps no training mean shape");

			assertEquals(2, evaluation.table(image).size());
			assertEquals(7.5, evaluation.summaryTable("constant").getValue("Mean error (px)", 0), 1e-3);
			// every point is off by the same shift: each part and each keypoint has the faces' NME, and the mean
			// offset (prediction minus truth) is the mean of (3, 4) and (6, 8)
			final double nme = 100 * 7.5 / interOcular;
			assertEquals(nme, evaluation.summaryTable("constant").getValue("NME mouth (%)", 0), 1e-3);
			assertEquals(nme, evaluation.summaryTable("constant").getValue("NME jaw (%)", 0), 1e-3);
			final ResultsTable keypoints = evaluation.keypointTable(AnnotatedStack.numberedNames(68));
			assertEquals(68, keypoints.size());
			assertEquals("eyes", keypoints.getStringValue("Part", 36));
			assertEquals("jaw", keypoints.getStringValue("Part", 16));
			assertEquals("brows", keypoints.getStringValue("Part", 17));
			assertEquals(7.5, keypoints.getValue("Error (px)", 30), 1e-3);
			assertEquals(nme, keypoints.getValue("NME (%)", 67), 1e-3);
			assertEquals(4.5, keypoints.getValue("Mean dx (px)", 0), 1e-3);
			assertEquals(6, keypoints.getValue("Mean dy (px)", 0), 1e-3);

			final ImagePlus examples = evaluation.bestAndWorst(image, 1);
			assertEquals(2, examples.getStackSize());
			assertTrue(examples.getStack().getSliceLabel(1).startsWith("best 1: plane 1, 5.00 px"),
				examples.getStack().getSliceLabel(1));
			assertTrue(examples.getStack().getSliceLabel(2).startsWith("worst 1: plane 2, 10.00 px"));
			assertEquals(4, examples.getOverlay().size(), "truth and prediction on each");
			assertEquals(2, KeypointOverlay.detections(examples).size(), "predictions are not annotations");
			assertEquals(2, AnnotatedStack.read(examples, null).objects().size());
		}
	}

	/**
	 * Issue 27, case 4: truth points missing on a plane (NaN, through the overlay) are no errors: the faces
	 * above with keypoint 30 and the eye corner 45 missing on plane 2. Each figure is over the labelled
	 * points; keypoint 30's row is plane 1's alone; plane 2 has no NME (no inter-ocular distance), and the
	 * summary counts the missing points.
	 */
	@Test
	void missingTruthPointsAreLeftOutOfEveryFigure() {
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 2);
		final List<PlaneKeypoints> faces = twoFaces(image);
		for (final int k : new int[] { 30, 45 }) {
			faces.get(1).x()[k] = Double.NaN;
			faces.get(1).y()[k] = Double.NaN;
		}
		AnnotatedStack.annotate(image, faces, AnnotatedStack.numberedNames(68), null);
		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		final double[][] predicted = predicted();
		final double interOcular = Math.hypot(predicted[0][36] - predicted[0][45], predicted[1][36] - predicted[1][45]);
		try (KeypointModel model = ModelFile.load(constantModel(), Device.cpu())) {
			final Evaluation evaluation = Evaluation.of(model, stack, Progress.NONE);
			assertEquals(10, evaluation.errors().get(1).meanError(), 1e-3);
			assertEquals(Double.NaN, evaluation.errors().get(1).nme());
			final Evaluation.Summary summary = evaluation.summary();
			assertEquals(7.5, summary.model().meanError(), 1e-3);
			assertEquals(100 * 5 / interOcular, summary.model().nme(), 1e-3, "the NME of the face that has one");
			assertTrue(Double.isFinite(summary.meanShape().meanError()), "the mean shape of the labelled points");
			assertEquals(2, evaluation.summaryTable("constant").getValue("Missing points", 0));
			final ResultsTable keypoints = evaluation.keypointTable(AnnotatedStack.numberedNames(68));
			assertEquals(5, keypoints.getValue("Error (px)", 30), 1e-3, "plane 1's error alone");
			assertEquals(3, keypoints.getValue("Mean dx (px)", 30), 1e-3);
			assertEquals(7.5, keypoints.getValue("Error (px)", 29), 1e-3);
			assertEquals(100 * 5 / interOcular, keypoints.getValue("NME (%)", 29), 1e-3, "plane 1's NME alone");
			assertEquals("; 2 annotated point(s) missing (not labelled), left out of the errors",
				PointErrors.missingNote(evaluation.truth()));
			final ImagePlus examples = evaluation.bestAndWorst(image, 1);
			assertEquals(66, ((ij.gui.PointRoi) examples.getOverlay().get(2)).size(), "the worst plane's truth: 66 points");
		}
	}

	/**
	 * Evaluate Keypoint Model as scripts, tests and the command call it, on the faces above: the files are
	 * checked before the model is loaded, the figures are those of the Log line, the tables are written.
	 */
	@Test
	void theEntryMeasuresTheImagesAnnotationsAndWritesTheTablesAskedFor() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 2);
		AnnotatedStack.annotate(image, twoFaces(image), AnnotatedStack.numberedNames(68), null);
		final Path table = folder.resolve("table.csv"), summary = folder.resolve("summary.csv");
		final Path keypoints = folder.resolve("keypoints.csv");
		final EvaluationRun.Result result = EvaluationRun.run(image, new EvaluationRequest(constantModel(), "all", 1, table,
			summary, false, DeviceChoice.CPU, false, keypoints), Progress.NONE);
		assertEquals("test model", result.model().name());
		final Evaluation.Summary figures = result.evaluation().summary();
		assertEquals(7.5, figures.model().meanError(), 1e-3, "mean");
		assertEquals(7.5, figures.model().medianError(), 1e-3, "median");
		assertEquals(5.25, figures.model().mae(), 1e-3, "MAE");
		assertTrue(figures.model().hasNme(), "68 points: a face");
		assertEquals(2.5, figures.meanShape().meanError(), 1e-3);
		assertNull(result.evaluation().originalSummary(), "not cut from other images");
		assertEquals(1 + 2, Files.readAllLines(table).size());
		assertEquals(1 + 2, Files.readAllLines(summary).size());
		assertEquals(1 + 68, Files.readAllLines(keypoints).size());
		assertEquals(68, result.keypointTable().size());
		assertEquals(2, result.bestAndWorst().getStackSize(), "1 best, 1 worst");

		final KeypointException exists = assertThrows(KeypointException.class, () -> EvaluationRun.run(image,
			new EvaluationRequest(folder.resolve("missing.zip"), "all", 0, null, summary, false, DeviceChoice.CPU),
			Progress.NONE));
		assertEquals("summary_file: " + summary + " exists; choose another file or set overwrite=true.", exists.getMessage());
		assertNull(EvaluationRun.run(image, new EvaluationRequest(constantModel()), Progress.NONE).bestAndWorst());
		// issue 26, case 7: a NaN pixel would be measured as garbage without a word
		final ImagePlus floats = TestImages.stack("32-bit", 96, 80, 2);
		AnnotatedStack.annotate(floats, twoFaces(floats), AnnotatedStack.numberedNames(68), null);
		floats.getStack().getProcessor(2).putPixelValue(1, 2, Double.POSITIVE_INFINITY);
		assertEquals("slice 2 of '" + floats.getTitle() + "' has an infinite pixel at (1, 2): replace such pixels " +
			"(Process > Math > Remove NaNs...) or leave the slice out, then evaluate again.", assertThrows(
				KeypointException.class, () -> EvaluationRun.run(floats, new EvaluationRequest(constantModel()),
					Progress.NONE)).getMessage());
		final KeypointException searched = assertThrows(KeypointException.class, () -> EvaluationRun.run(image,
			new EvaluationRequest(constantModel(), "all", 0, null, null, true, DeviceChoice.CPU, true,
				folder.resolve("k.csv")), Progress.NONE));
		assertEquals("keypoint_file: the per-keypoint table is measured in the annotated boxes; leave it empty with " +
			"search=true.", searched.getMessage());
	}

	/**
	 * mirror_average: each point the mean of the model's on the face and, un-mirrored and its pair swapped
	 * back, on the mirror image (the constant model gives both views the same answer); without it, as the
	 * model file says (no). A model with an offset from mirror symmetry un-mirrors with its shift.
	 */
	@Test
	void theAverageWithTheMirrorImageIsAskedForPerEvaluation() {
		final ImagePlus image = TestImages.stack("8-bit", 96, 80, 2);
		AnnotatedStack.annotate(image, twoFaces(image), AnnotatedStack.numberedNames(68), null);
		final ModelDescription description = TestModels.small(68, 1, CropRecipe.wholeRegion());
		description.setMirror(MirrorOrder.IBUG_68);
		final Path model = TestModels.constant(folder.resolve("mirrored.zip"), description, ANSWER);
		description.setMirrorOffset(0.01);
		final Path offset = TestModels.constant(folder.resolve("offset.zip"), description, ANSWER);
		for (final Path file : List.of(model, offset)) {
			final double shift = file == offset ? 0.02 : 0; // whole planes: twice the offset of the input's width
			final PlaneKeypoints plain = EvaluationRun.run(image, new EvaluationRequest(file, "all", 0, null, null, false,
				DeviceChoice.CPU, false, null, false), Progress.NONE).evaluation().predictions().get(0);
			final PlaneKeypoints averaged = EvaluationRun.run(image, new EvaluationRequest(file, "all", 0, null, null, false,
				DeviceChoice.CPU, false, null, true), Progress.NONE).evaluation().predictions().get(0);
			for (int k = 0; k < 68; k++) {
				final int m = MirrorOrder.IBUG_68.mirrorOf(k);
				assertEquals(ANSWER[2 * k] * 96 - 0.5, plain.x()[k], 1e-3);
				assertEquals((ANSWER[2 * k] + 1 - ANSWER[2 * m] + shift) / 2 * 96 - 0.5, averaged.x()[k], 1e-3, "x of " + k);
				assertEquals((ANSWER[2 * k + 1] + ANSWER[2 * m + 1]) / 2 * 80 - 0.5, averaged.y()[k], 1e-3, "y of " + k);
			}
		}
	}

	/** A model that always predicts the same 68 points, whatever the image. */
	private Path constantModel() {
		return TestModels.constant(folder.resolve("constant.zip"), TestModels.small(68, 1, CropRecipe.wholeRegion()), ANSWER);
	}

	/** The constant model's points on a 96x80 image: x in row 0, y in row 1. */
	private static double[][] predicted() {
		final double[][] predicted = new double[2][68];
		for (int k = 0; k < 68; k++) {
			predicted[0][k] = ANSWER[2 * k] * 96 - 0.5;
			predicted[1][k] = ANSWER[2 * k + 1] * 80 - 0.5;
		}
		return predicted;
	}

	/** Planes 1 and 2 annotated 5 px (3, 4) and 10 px (6, 8) away from the constant model's points. */
	private static List<PlaneKeypoints> twoFaces(final ImagePlus image) {
		return List.of(shifted(image, 1, predicted(), 3, 4), shifted(image, 2, predicted(), 6, 8));
	}

	private static PlaneKeypoints shifted(final ImagePlus image, final int plane, final double[][] points, final double dx,
		final double dy)
	{
		final double[] x = new double[68];
		final double[] y = new double[68];
		for (int k = 0; k < 68; k++) {
			x[k] = points[0][k] - dx;
			y[k] = points[1][k] - dy;
		}
		return new PlaneKeypoints(PlanePosition.of(image, plane), CropBox.wholeImage(96, 80), x, y);
	}

	@Test
	void filtersOfTheFirstConvolutionAsAMontage() {
		final ModelDescription description = TestModels.small(2, 3, CropRecipe.wholeRegion());
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final ImagePlus montage = FilterMontage.of(model, 4);
			// 12 kernels of 5x5, RGB, 4 columns x 3 rows of (5 * 4 + 2)-pixel cells
			assertEquals(24, montage.getBitDepth());
			assertEquals(4 * 22, montage.getWidth());
			assertEquals(3 * 22, montage.getHeight());
			// issue 14, case 11: a zoom the montage cannot be made with is refused before memory runs out
			final KeypointException huge = assertThrows(KeypointException.class, () -> FilterMontage.of(model, 100000));
			// 4 x 3 cells of 5 x 5 pixels at zoom z: 300 z^2 pixels, at most 1e8
			assertEquals("zoom=100000 is not a factor from 1 to 577 for the 12 filters of 5x5 (the montage would not fit " +
				"in memory).", huge.getMessage());
			assertThrows(KeypointException.class, () -> FilterMontage.of(model, 0));

			// as Show Learned Filters makes it, from the model file
			final Path file = folder.resolve("filters.zip");
			ModelFile.save(model, file);
			assertEquals(4 * 22, FilterMontage.of(file, 4).getWidth());
		}
		assertEquals("model: no model file given.", assertThrows(KeypointException.class,
			() -> FilterMontage.of((Path) null, 4)).getMessage());
	}
}
