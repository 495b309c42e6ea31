package io.github.keypointj.service;

import ij.ImagePlus;
import ij.gui.PointRoi;
import io.github.keypointj.ImageJLegacy;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.ImgLib2Planes;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/** {@link KeypointService} on KeypointJ's core: the same calls the commands make. */
@Plugin(type = Service.class)
public class DefaultKeypointService extends AbstractService implements KeypointService {

	static {
		// SciJava reads this service's methods, ImagePlus among their types, when ImageJ2 starts, and its
		// SciJava services start before imagej-legacy's LegacyService, which must patch ImageJ 1.x before
		// any ij class loads (started as net.imagej.Main, not pre-patched by Fiji's launcher, ImageJ
		// printed "Cannot load class: ij.ImagePlus" and ran unpatched). Its class initialiser patches.
		ImageJLegacy.primePatching();
	}

	/** Refine rounds of Detect Keypoints' default. */
	private static final int REFINE_ROUNDS = 3;

	@Override
	public DetectionResult detect(final ImagePlus image, final File model) {
		return detect(image, new DetectionRequest(path(model), true, Region.WHOLE_IMAGE, DeviceChoice.AUTO,
			REFINE_ROUNDS));
	}

	@Override
	public DetectionResult detect(final ImagePlus image, final DetectionRequest request) {
		return Detection.run(image, given(request, "request"), Progress.NONE);
	}

	@Override
	public <T extends RealType<T>> List<DetectedObject> detect(final RandomAccessibleInterval<T> image,
		final File model)
	{
		if (image == null) throw new KeypointException("image: no image given.");
		final ImagePlus planes = ModelFile.readDescription(path(model)).channels() == 3
			? ImgLib2Planes.toRgbImagePlus(image, "image") : ImgLib2Planes.toImagePlus(image, "image");
		final List<DetectedObject> found = detect(planes, model).objects();
		if (image.min(0) == 0 && image.min(1) == 0) return found;
		final List<DetectedObject> shifted = new ArrayList<>();
		for (final DetectedObject object : found) {
			final PlaneKeypoints points = object.points();
			final double[] x = points.x().clone(), y = points.y().clone();
			for (int k = 0; k < x.length; k++) {
				x[k] += image.min(0);
				y[k] += image.min(1);
			}
			shifted.add(new DetectedObject(new PlaneKeypoints(points.plane(), points.region(), x, y), object.confidence(),
				object.score(), object.track()));
		}
		return shifted;
	}

	@Override
	public TrainingRun.Result train(final ImagePlus annotated, final TrainingRequest request) {
		return TrainingRun.run(annotated, given(request, "request"), TrainingListener.NONE, Progress.NONE);
	}

	@Override
	public Evaluation evaluate(final ImagePlus annotated, final File model) {
		return evaluate(annotated, new EvaluationRequest(path(model))).evaluation();
	}

	@Override
	public EvaluationRun.Result evaluate(final ImagePlus annotated, final EvaluationRequest request) {
		return EvaluationRun.run(annotated, given(request, "request"), Progress.NONE);
	}

	@Override
	public List<PointRoi> rois(final ImagePlus image, final DetectionResult result) {
		return KeypointOverlay.detectionRois(image, result.keypoints(), result.objectNumbers(), result.tracked(),
			result.model().name(), result.model().keypointNames());
	}

	/** {@code value}, or a message naming the argument a script left null (not a NullPointerException). */
	private static <T> T given(final T value, final String name) {
		if (value == null) throw new KeypointException(name + ": none given (null).");
		return value;
	}

	private static java.nio.file.Path path(final File model) {
		if (model == null) throw new KeypointException("model: no model file given.");
		return model.toPath();
	}
}
