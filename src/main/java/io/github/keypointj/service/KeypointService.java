package io.github.keypointj.service;

import ij.ImagePlus;
import ij.gui.PointRoi;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.io.File;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.scijava.service.SciJavaService;

/**
 * KeypointJ for ImageJ2 scripts (Groovy, Jython, JavaScript) and other plugins: detection, training and
 * evaluation without macro strings, on what scripts hold, returning objects. In a script:
 * <pre>
 * #@ KeypointService keypoints
 * #@ ImagePlus imp
 * result = keypoints.detect(imp, new File("face-68.zip"))
 * for (face in result.objects()) println(face.meanConfidence())
 * </pre>
 * Errors are {@link io.github.keypointj.KeypointException}s whose message names what is wrong.
 */
public interface KeypointService extends SciJavaService {

	/**
	 * Detects the objects on every plane of {@code image} with the model: on the whole image (heatmap
	 * models find every object; the others one per plane), on the CPU or the GPU when there is one. The
	 * points go into the image's overlay, as Detect Keypoints puts them.
	 */
	DetectionResult detect(ImagePlus image, File model);

	/** Detection as the request says (region, planes, device, CSV file, ...); see {@link DetectionRequest}. */
	DetectionResult detect(ImagePlus image, DetectionRequest request);

	/**
	 * Detects the objects on an ImgLib2 image (x, y and optionally planes; any real pixel type) with the
	 * model, on the whole image; nothing is written anywhere. For a colour model (RGB, as the 300-W face
	 * models) dimension 2 is the red, green and blue channels with 8-bit values, as in ImageJ2's RGB
	 * datasets, and an optional dimension 3 the planes. Point coordinates are the image's pixel
	 * coordinates, as ImageJ's (the centre of pixel (i, j) at (i, j)), from the image's minimum.
	 */
	<T extends RealType<T>> List<DetectedObject> detect(RandomAccessibleInterval<T> image, File model);

	/**
	 * Trains on an annotated stack as Train Keypoint Model does; the model file is the request's output,
	 * and an existing one is replaced only as there: with overwrite, or when resuming the run that wrote it.
	 */
	TrainingRun.Result train(ImagePlus annotated, TrainingRequest request);

	/**
	 * The model on every annotated plane of {@code annotated}, on the keypoints it learned, as Evaluate
	 * Keypoint Model measures it: errors per plane, summary, best and worst.
	 */
	Evaluation evaluate(ImagePlus annotated, File model);

	/**
	 * Evaluation as the request says (planes, examples, table files, device); see {@link EvaluationRequest}.
	 * The result holds the tables and the best and worst examples Evaluate Keypoint Model shows.
	 */
	EvaluationRun.Result evaluate(ImagePlus annotated, EvaluationRequest request);

	/** The objects as point selections on their planes of {@code image}, one per object, named by the model. */
	List<PointRoi> rois(ImagePlus image, DetectionResult result);
}
