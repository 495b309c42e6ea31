package io.github.keypointj.detect;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.List;

/** Runs a keypoint model on planes of an image and maps its predictions back to image coordinates. */
public final class KeypointDetector {

	/** Inputs per forward pass: amortises the per-call overhead without holding much memory. */
	private static final int BATCH = 8;

	private final KeypointModel model;

	public KeypointDetector(final KeypointModel model) {
		this.model = model;
	}

	/**
	 * Finds the keypoints of every object on the given planes.
	 *
	 * @return per object and plane, in plane order; planes without an object (no box) are left out
	 * @throws KeypointException when the image cannot feed the model or the region is missing
	 */
	public List<PlaneKeypoints> detect(final ImagePlus image, final List<PlanePosition> planes,
		final Region region, final Progress progress)
	{
		final ModelDescription description = model.description();
		PlaneReader.requireCompatible(image, description.channels());
		final List<Job> jobs = new ArrayList<>();
		for (final PlanePosition plane : planes) {
			for (final CropBox box : objectRegions(image, plane, region)) jobs.add(new Job(plane, box, description));
		}
		if (jobs.isEmpty() && region == Region.BOXES_IN_OVERLAY) {
			throw new KeypointException("region=[boxes in overlay], but the overlay of '" + image.getTitle() +
				"' has no rectangle on the planes to process. Draw a rectangle per object and add it (Image>Overlay>Add Selection).");
		}
		return run(image, jobs, progress);
	}

	/**
	 * Finds the object by itself, for models trained on crops around boxes (the report's "using other
	 * images"): predicts on the whole plane, takes the box of the predicted points, predicts on the crop
	 * around it, and repeats until the box moves less than a pixel or {@code rounds} are done.
	 */
	public List<PlaneKeypoints> detectSelfRefined(final ImagePlus image, final List<PlanePosition> planes,
		final int rounds, final Progress progress)
	{
		final ModelDescription description = model.description();
		PlaneReader.requireCompatible(image, description.channels());
		final CropBox whole = CropBox.wholeImage(image.getWidth(), image.getHeight());
		final List<Job> jobs = new ArrayList<>();
		for (final PlanePosition plane : planes) jobs.add(new Job(plane, whole, whole));
		List<PlaneKeypoints> found = run(image, jobs, progress);
		for (int round = 1; round <= rounds && !progress.isCanceled(); round++) {
			final List<Job> next = new ArrayList<>();
			for (final PlaneKeypoints points : found) {
				next.add(new Job(points.plane(), CropBox.around(points.x(), points.y()), description));
			}
			final List<PlaneKeypoints> refined = run(image, next, Progress.NONE);
			boolean settled = true;
			for (int i = 0; i < refined.size(); i++) {
				settled &= CropBox.around(refined.get(i).x(), refined.get(i).y()).distance(next.get(i).region) < 1;
			}
			found = refined;
			if (settled) break;
		}
		return found;
	}

	/**
	 * Predicts the keypoints of known objects (their plane and region, e.g. annotated ones), with the
	 * crop the model was trained on.
	 */
	public List<PlaneKeypoints> predict(final ImagePlus image, final List<PlaneKeypoints> objects, final Progress progress) {
		PlaneReader.requireCompatible(image, model.description().channels());
		final List<Job> jobs = new ArrayList<>();
		for (final PlaneKeypoints object : objects) {
			jobs.add(new Job(object.plane(), object.region(), model.description()));
		}
		return run(image, jobs, progress);
	}

	private List<PlaneKeypoints> run(final ImagePlus image, final List<Job> jobs, final Progress progress) {
		final ModelDescription description = model.description();
		final List<PlaneKeypoints> found = new ArrayList<>();
		final float[] inputs = new float[BATCH * model.inputSize()];
		for (int first = 0; first < jobs.size(); first += BATCH) {
			if (progress.isCanceled()) break;
			final List<Job> batch = jobs.subList(first, Math.min(jobs.size(), first + BATCH));
			int cachedIndex = -1;
			float[][] channels = null;
			for (int b = 0; b < batch.size(); b++) {
				final Job job = batch.get(b);
				if (job.plane.stackIndex() != cachedIndex) {
					channels = PlaneReader.read(image, job.plane.stackIndex(), description.channels());
					cachedIndex = job.plane.stackIndex();
				}
				InputSampler.sample(channels, image.getWidth(), image.getHeight(), job.inputToImage(description),
					description.inputWidth(), description.inputHeight(), inputs, b * model.inputSize());
				description.normalization().normalize(inputs, b * model.inputSize(),
					description.inputWidth() * description.inputHeight());
			}
			final float[][] outputs = model.predict(inputs, batch.size());
			for (int b = 0; b < batch.size(); b++) found.add(batch.get(b).toImage(outputs[b], description));
			progress.report("Detecting keypoints", first + batch.size(), jobs.size());
		}
		return found;
	}

	/** The regions of the objects on {@code plane}: the whole plane, the selection, or the boxes shown on it. */
	private List<CropBox> objectRegions(final ImagePlus image, final PlanePosition plane, final Region region) {
		final List<CropBox> regions = new ArrayList<>();
		switch (region) {
			case WHOLE_IMAGE:
				regions.add(CropBox.wholeImage(image.getWidth(), image.getHeight()));
				break;
			case SELECTION:
				final Roi selection = image.getRoi();
				if (selection == null || !selection.isArea()) {
					throw new KeypointException("region=selection, but '" + image.getTitle() +
						"' has no area selection. Draw a rectangle around the object, or use region=[whole image].");
				}
				regions.add(CropBox.of(selection));
				break;
			case BOXES_IN_OVERLAY:
				final Overlay overlay = image.getOverlay();
				if (overlay == null) break;
				for (final Roi roi : overlay.toArray()) {
					if (roi.getType() == Roi.RECTANGLE && plane.shows(roi)) regions.add(CropBox.of(roi));
				}
				break;
		}
		return regions;
	}

	/** One object on one plane. */
	private static final class Job {

		final PlanePosition plane;
		final CropBox region;
		final CropBox crop;

		/** An object in {@code region}, cut out as the model was trained. */
		Job(final PlanePosition plane, final CropBox region, final ModelDescription description) {
			this(plane, region, CropBox.forObject(region, description.crop()));
		}

		Job(final PlanePosition plane, final CropBox region, final CropBox crop) {
			this.plane = plane;
			this.region = region;
			this.crop = crop;
		}

		AffineTransform inputToImage(final ModelDescription description) {
			return crop.inputToImage(description.inputWidth(), description.inputHeight());
		}

		PlaneKeypoints toImage(final float[] output, final ModelDescription description) {
			return KeypointDetector.toImage(plane, region, crop, output, description);
		}
	}

	/**
	 * Network outputs (fractions of the input's extent) for an object in {@code region} of {@code plane}
	 * to image pixel coordinates.
	 */
	public static PlaneKeypoints toImage(final PlanePosition plane, final CropBox region, final float[] output,
		final ModelDescription description)
	{
		return toImage(plane, region, CropBox.forObject(region, description.crop()), output, description);
	}

	private static PlaneKeypoints toImage(final PlanePosition plane, final CropBox region, final CropBox crop,
		final float[] output, final ModelDescription description)
	{
		final AffineTransform toImage = crop.inputToImage(description.inputWidth(), description.inputHeight());
		final int count = description.keypointCount();
		final double[] x = new double[count];
		final double[] y = new double[count];
		final Point2D.Double point = new Point2D.Double();
		for (int k = 0; k < count; k++) {
			point.setLocation(output[2 * k] * description.inputWidth() - 0.5, output[2 * k + 1] * description.inputHeight() - 0.5);
			toImage.transform(point, point);
			x[k] = point.x;
			y[k] = point.y;
		}
		return new PlaneKeypoints(plane, region, x, y);
	}
}
