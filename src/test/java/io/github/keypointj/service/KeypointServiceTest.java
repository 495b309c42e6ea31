package io.github.keypointj.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.PointRoi;
import io.github.keypointj.KeypointException;
import io.github.keypointj.TestImages;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** What an ImageJ2 script gets from {@code #@ KeypointService keypoints}. */
class KeypointServiceTest {

	private static Context context;
	private static KeypointService keypoints;

	@TempDir
	Path folder;

	@BeforeAll
	static void setUp() {
		context = new Context(KeypointService.class);
		keypoints = context.service(KeypointService.class);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	/** A model that puts point 1 at 1/4 and 1/2 of the input and point 2 at 3/4 and 1/10, whatever the image. */
	private Path constantModel() {
		return TestModels.constant(folder.resolve("m.zip"), TestModels.small(2, 1, CropRecipe.wholeRegion()),
			new float[] { 0.25f, 0.5f, 0.75f, 0.1f });
	}

	@Test
	void detectOnAnImagePlusGivesObjectsAndPutsThemInTheOverlay() {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		final DetectionResult result = keypoints.detect(image, constantModel().toFile());
		assertEquals(2, result.objects().size(), "one object per plane");
		final PlaneKeypoints first = result.objects().get(0).points();
		assertEquals(0.25 * 64 - 0.5, first.x()[0], 1e-3);
		assertEquals(0.5 * 48 - 0.5, first.y()[0], 1e-3);
		assertEquals(2, KeypointOverlay.detections(image).size());
		final List<PointRoi> rois = keypoints.rois(image, result);
		assertEquals(2, rois.size());
		assertEquals(2, rois.get(1).getPosition(), "each on its plane");
		assertEquals(2, rois.get(1).getFloatPolygon().npoints);
	}

	@Test
	void anImgLib2ImageGivesTheSamePointsInItsOwnCoordinates() {
		final ArrayImg<FloatType, FloatArray> image = ArrayImgs.floats(64, 48, 3);
		final List<DetectedObject> found = keypoints.detect(image, constantModel().toFile());
		assertEquals(3, found.size(), "a third dimension is the planes");
		assertEquals(0.75 * 64 - 0.5, found.get(2).points().x()[1], 1e-3);
		assertEquals(3, found.get(2).points().plane().stackIndex());

		final List<DetectedObject> moved = keypoints.detect(Views.translate(image, 100, -20, 0), constantModel().toFile());
		assertEquals(0.75 * 64 - 0.5 + 100, moved.get(0).points().x()[1], 1e-3, "from the image's minimum");
		assertEquals(0.1 * 48 - 0.5 - 20, moved.get(0).points().y()[1], 1e-3);

		final KeypointException e = assertThrows(KeypointException.class,
			() -> keypoints.detect(ArrayImgs.floats(8, 8, 2, 2), constantModel().toFile()));
		assertTrue(e.getMessage().contains("has 4 dimensions") && e.getMessage().contains("8x8x2x2"), e.getMessage());
	}

	/** evaluate and train call what the commands call: the same figures, the same rule for an existing model file. */
	@Test
	void evaluateAndTrainAsTheCommandsDo() throws Exception {
		final ImagePlus image = TestImages.stack("8-bit", 64, 48, 2);
		// the constant model's points, (3, 4) px away on every plane
		final double[] x = { 0.25 * 64 - 0.5 - 3, 0.75 * 64 - 0.5 - 3 }, y = { 0.5 * 48 - 0.5 - 4, 0.1 * 48 - 0.5 - 4 };
		AnnotatedStack.annotate(image, List.of(new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.wholeImage(64, 48), x, y),
			new PlaneKeypoints(PlanePosition.of(image, 2), CropBox.wholeImage(64, 48), x, y)), AnnotatedStack.numberedNames(2), null);
		assertEquals(5, keypoints.evaluate(image, constantModel().toFile()).summary().model().meanError(), 1e-3);
		// as the command's dialog asks: some planes, examples, a table file
		final Path table = folder.resolve("per plane.csv");
		final EvaluationRun.Result second = keypoints.evaluate(image, new EvaluationRequest(constantModel(),
			"slices 2-2", 1, table, null, false, DeviceChoice.CPU));
		assertEquals(1, second.table().size());
		assertEquals(1 + 1, Files.readAllLines(table).size());
		assertEquals(2, second.bestAndWorst().getStackSize()); // the best and the worst of one plane

		final Path mine = Files.writeString(folder.resolve("mine.zip"), "the user's own file");
		final KeypointException refused = assertThrows(KeypointException.class, () -> keypoints.train(image,
			new TrainingRequest(Architecture.NOSE_NET, 48, 40, 1, 1, 1e-3f, false, "all", "none", 1, DeviceChoice.CPU, mine,
				null)));
		assertEquals(mine + " exists; choose another model file or set overwrite=true.", refused.getMessage());
		assertEquals("the user's own file", Files.readString(mine));
	}

	/**
	 * Issue 26, case 8: a colour model takes an ImgLib2 image whose dimension 2 is red, green and blue (as
	 * ImageJ2's RGB datasets), and null arguments are named instead of a NullPointerException.
	 */
	@Test
	void aColourModelTakesAnRgbImgLib2ImageAndNullsAreNamed() {
		final Path rgbModel = TestModels.constant(folder.resolve("rgb.zip"), TestModels.small(2, 3, CropRecipe.wholeRegion()),
			new float[] { 0.25f, 0.5f, 0.75f, 0.1f });
		final ArrayImg<UnsignedByteType, ?> rgb = ArrayImgs.unsignedBytes(64, 48, 3, 2);
		final List<DetectedObject> found = keypoints.detect(rgb, rgbModel.toFile());
		assertEquals(2, found.size(), "dimension 3: the planes");
		assertEquals(0.75 * 64 - 0.5, found.get(1).points().x()[1], 1e-3);
		final KeypointException grey = assertThrows(KeypointException.class,
			() -> keypoints.detect(ArrayImgs.floats(64, 48, 2), rgbModel.toFile()));
		assertEquals("'image' is 64x48x2; the model is for colour images: x, y, the 3 channels red, green and blue, and " +
			"optionally one more dimension for the planes.", grey.getMessage());
		assertEquals("image: no image given.", assertThrows(KeypointException.class,
			() -> keypoints.detect((ArrayImg<FloatType, FloatArray>) null, rgbModel.toFile())).getMessage());
		assertEquals("request: none given (null).", assertThrows(KeypointException.class,
			() -> keypoints.detect(TestImages.stack("8-bit", 64, 48, 1), (io.github.keypointj.detect.DetectionRequest) null))
				.getMessage());
		assertEquals("request: none given (null).", assertThrows(KeypointException.class,
			() -> keypoints.train(TestImages.stack("8-bit", 64, 48, 1), null)).getMessage());
		assertEquals("model: no model file given.", assertThrows(KeypointException.class,
			() -> keypoints.detect(TestImages.stack("8-bit", 64, 48, 1), (java.io.File) null)).getMessage());
	}

	@Test
	void aMissingModelIsNamed() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> keypoints.detect(TestImages.stack("8-bit", 64, 48, 1), folder.resolve("none.zip").toFile()));
		assertTrue(e.getMessage().contains("none.zip"), e.getMessage());
	}
}
