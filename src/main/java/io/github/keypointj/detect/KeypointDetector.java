package io.github.keypointj.detect;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PixelCoordinates;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.objects.ObjectFinder;
import io.github.keypointj.objects.ObjectMaps;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a keypoint model on planes of an image and maps its predictions back to image coordinates. */
public final class KeypointDetector {

	/** Inputs per forward pass: amortises the per-call overhead without holding much memory. */
	public static final int BATCH = 8;
	/** A box that moves less than this many pixels of the network's input in a round has settled. */
	static final double SETTLED_INPUT_PIXELS = 2;
	/** Re-crops around the points found, at most, unless the user says otherwise (Detect's refine_rounds). */
	public static final int DEFAULT_REFINE_ROUNDS = 3;

	private final KeypointModel model;
	private final boolean averageWithMirror;

	/** A detector that averages with the mirror image when the model's setting says so. */
	public KeypointDetector(final KeypointModel model) {
		this(model, false);
	}

	/**
	 * @param averageWithMirror whether each object's points are the mean of the network's on the crop and on
	 *   its mirror image (twice the inference) even where the model's setting says not; only for keypoint
	 *   sets with a mirror order
	 */
	public KeypointDetector(final KeypointModel model, final boolean averageWithMirror) {
		this.model = model;
		this.averageWithMirror = averageWithMirror || model.description().averagesWithMirror();
	}

	public KeypointModel model() {
		return model;
	}

	public ModelDescription description() {
		return model.description();
	}

	/**
	 * Finds the keypoints of every object on the given planes.
	 *
	 * @return per object and plane, in plane order; planes without an object (no box) are left out
	 * @throws KeypointException when the image cannot feed the model or the region is missing
	 */
	public List<DetectedObject> detect(final ImagePlus image, final List<PlanePosition> planes,
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
	public List<DetectedObject> detectSelfRefined(final ImagePlus image, final List<PlanePosition> planes,
		final int rounds, final Progress progress)
	{
		PlaneReader.requireCompatible(image, model.description().channels());
		final CropBox whole = CropBox.wholeImage(image.getWidth(), image.getHeight());
		final List<Job> jobs = new ArrayList<>();
		for (final PlanePosition plane : planes) jobs.add(new Job(plane, whole, whole));
		return refine(image, run(image, jobs, progress), rounds, progress);
	}

	/**
	 * Re-crops around the points found, as the model was trained, until the box moves less than
	 * {@link #SETTLED_INPUT_PIXELS} pixels of the network's input (and one of the image) or {@code rounds}
	 * are done.
	 */
	public List<DetectedObject> refine(final ImagePlus image, final List<DetectedObject> start, final int rounds,
		final Progress progress)
	{
		List<DetectedObject> found = start;
		for (int round = 1; round <= rounds && !progress.isCanceled(); round++) {
			final List<Job> next = new ArrayList<>();
			for (final DetectedObject object : found) {
				final PlaneKeypoints points = object.points();
				next.add(new Job(points.plane(), CropBox.around(points.x(), points.y()), model.description()));
			}
			final List<DetectedObject> refined = run(image, next, Progress.NONE);
			boolean settled = true;
			for (int i = 0; i < refined.size(); i++) {
				final PlaneKeypoints points = refined.get(i).points();
				// A box that moved less than the model's own error (2-4 input pixels for the 300-W faces) gives the
				// same points within it: on the benchmark photos 1 round and 6 gave the same NME.
				final double still = Math.max(1, SETTLED_INPUT_PIXELS * next.get(i).crop.width() /
					model.description().inputWidth());
				settled &= CropBox.around(points.x(), points.y()).distance(next.get(i).region) < still;
			}
			found = refined;
			if (settled) break;
		}
		return found;
	}

	/**
	 * Finds every object on the planes with the model's object stage ({@link ObjectFinder}): the places it
	 * marks are cut out as the keypoint network was trained (a heatmap network looks again, twice as wide,
	 * where it is unsure: {@link #widerLook}), a heatmap network re-crops around its points
	 * (at most {@code rounds} times), and the objects whose score ({@link #objectScore}) reaches
	 * {@code minScore} are kept; of keypoint sets that turned out to be one object, the one of highest
	 * score stays.
	 * <p>
	 * With {@code track}, a plane starts from the objects of the plane before: each is cut out around its
	 * points there, keeping its track number, and the stage looks at the whole plane again only where a
	 * heatmap network's confidence drops below {@link #FOLLOW_CONFIDENCE}, for networks without a
	 * confidence, and every {@link #SEARCH_EVERY} planes, for objects that came into view; what it finds
	 * takes the track of the object of the plane before whose box it overlaps most.
	 *
	 * @throws IllegalStateException when the model has no object stage
	 */
	public List<DetectedObject> find(final ImagePlus image, final List<PlanePosition> planes, final int rounds,
		final double minScore, final boolean track, final Progress progress)
	{
		final ModelDescription description = model.description();
		if (model.objectStage() == null) throw new IllegalStateException(description.name() + " has no object stage");
		PlaneReader.requireCompatible(image, description.channels());
		final ObjectFinder finder = new ObjectFinder(model.objectStage(), description.normalization());
		final boolean heatmaps = description.architecture().heatmaps();
		final List<DetectedObject> found = new ArrayList<>();
		List<DetectedObject> previous = List.of();
		int nextTrack = 1;
		int followed = 0;
		for (int p = 0; p < planes.size() && !progress.isCanceled(); p++) {
			final PlanePosition plane = planes.get(p);
			List<DetectedObject> current = null;
			if (track && heatmaps && !previous.isEmpty() && followed < SEARCH_EVERY) {
				current = follow(image, plane, previous);
				followed++;
			}
			if (current == null) {
				current = search(image, plane, finder, rounds, minScore);
				followed = 0;
				if (track) {
					final List<DetectedObject> numbered = new ArrayList<>();
					for (final DetectedObject object : current) {
						final int same = sameObject(object, previous, numbered);
						numbered.add(object.tracked(same > 0 ? same : nextTrack++));
					}
					current = numbered;
				}
			}
			found.addAll(current);
			previous = current;
			progress.report("Detecting keypoints", p + 1, planes.size());
		}
		return found;
	}

	/**
	 * The stage's score a place needs for a heatmap network to look at it: the object score then also
	 * weighs the keypoints' confidence, which can lift a face the stage was unsure of (a profile).
	 */
	static final double CANDIDATE_SCORE = 0.2;

	/**
	 * A candidate whose score after the first look is below this fraction of the score asked for is not
	 * refined: refining moved the faces of the benchmark photos' scores by a few hundredths, and looking
	 * again at every mark of the stage took half the time of a photo.
	 */
	static final double HOPELESS = 0.75;

	/**
	 * An object's score: for heatmap networks the geometric mean of the stage's score and the keypoints'
	 * mean confidence (a face scores high on both; a patch or a pattern the stage took for one gets points
	 * the network is not sure of: 0.02-0.3 against 0.6-0.75 for faces), else the stage's score.
	 */
	static double objectScore(final double stageScore, final DetectedObject object) {
		final double confidence = object.meanConfidence();
		return Double.isNaN(confidence) ? stageScore : Math.sqrt(stageScore * Math.max(0, confidence));
	}

	/** Below this mean keypoint confidence a followed object counts as lost: the stage looks again. */
	static final double FOLLOW_CONFIDENCE = 0.4;
	/** Planes followed at most before the stage looks at a whole plane again, for objects new in view. */
	static final int SEARCH_EVERY = 30;

	/** The objects on {@code plane}: the stage's, then their keypoints, distinct. */
	private List<DetectedObject> search(final ImagePlus image, final PlanePosition plane, final ObjectFinder finder,
		final int rounds, final double minScore)
	{
		final ModelDescription description = model.description();
		final SourcePlane source = SourcePlane.of(PlaneReader.read(image, plane.stackIndex(), description.channels()),
			image.getWidth(), image.getHeight());
		final boolean heatmaps = description.architecture().heatmaps();
		final List<ObjectMaps.Peak> peaks = finder.find(source, heatmaps ? Math.min(CANDIDATE_SCORE, minScore) : minScore);
		final List<Job> jobs = new ArrayList<>();
		for (final ObjectMaps.Peak peak : peaks) jobs.add(new Job(plane, peak.box(), description));
		final List<DetectedObject> firstLook = run(image, jobs, Progress.NONE);
		if (heatmaps) widerLook(image, plane, peaks, firstLook);
		List<DetectedObject> objects = new ArrayList<>();
		final List<Double> stageScores = new ArrayList<>();
		for (int i = 0; i < firstLook.size(); i++) {
			// Refining costs a pass a round: only for what may still reach minScore.
			if (objectScore(peaks.get(i).score(), firstLook.get(i)) < HOPELESS * minScore) continue;
			objects.add(firstLook.get(i));
			stageScores.add(peaks.get(i).score());
		}
		if (heatmaps) objects = refine(image, objects, rounds, Progress.NONE);
		final List<DetectedObject> scored = new ArrayList<>();
		for (int i = 0; i < objects.size(); i++) {
			final DetectedObject object = objects.get(i);
			final double score = objectScore(stageScores.get(i), object);
			if (score >= minScore) scored.add(new DetectedObject(object.points(), object.confidence(), score, 0));
		}
		return ObjectFinder.distinct(scored, KeypointDetector::box, DetectedObject::score);
	}

	/** How much larger than the stage's box the second look at an unsure candidate is. */
	static final double WIDER = 2;
	/**
	 * A first look with a mean keypoint confidence below this gets a second, wider one, kept if its own
	 * confidence reaches this. On the mouse test frames whole animals scored 0.55-0.8, crops of half an
	 * animal 0.02-0.5 (a mouse curled at the wall 0.40 and 0.50, its wider look 0.74 and 0.76); on the 90
	 * face photos the second looks cost 2-3 ms a photo (at every candidate: 22 ms) and changed nothing.
	 */
	static final double SURE = 0.6;

	/**
	 * Looks again, in a box {@link #WIDER} times the stage's, at each candidate whose first look the
	 * network was unsure of (mean confidence below {@link #SURE}), and keeps that look where the network
	 * is sure of it and surer than of the first. A mouse against the arena's wall (rearing, or along it)
	 * was marked as two objects, head and body, each half the animal: in a crop of half a mouse the
	 * network put all four points on one spot, and re-cropping around that spot could not recover; the
	 * box twice the half's holds the whole animal (3-4 px from the truth on the frames so missed). A
	 * face marked in a box too large (first look 0.19, found at 0.59 after refining) got a wider look of
	 * 0.23 with its points spread over twice the face, from which refining found nothing: hence "sure".
	 */
	private void widerLook(final ImagePlus image, final PlanePosition plane, final List<ObjectMaps.Peak> peaks,
		final List<DetectedObject> looks)
	{
		final List<Integer> unsure = new ArrayList<>();
		final List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < looks.size(); i++) {
			if (looks.get(i).meanConfidence() >= SURE) continue;
			unsure.add(i);
			jobs.add(new Job(plane, peaks.get(i).box().scaled(WIDER), model.description()));
		}
		final List<DetectedObject> wider = run(image, jobs, Progress.NONE);
		for (int j = 0; j < wider.size(); j++) {
			final DetectedObject look = wider.get(j);
			final int i = unsure.get(j);
			if (look.meanConfidence() >= SURE && look.meanConfidence() > looks.get(i).meanConfidence()) looks.set(i, look);
		}
	}

	/**
	 * The objects of the plane before, on {@code plane}: each cut out around its points there; null when
	 * one of them is lost.
	 */
	private List<DetectedObject> follow(final ImagePlus image, final PlanePosition plane,
		final List<DetectedObject> before)
	{
		final List<Job> jobs = new ArrayList<>();
		for (final DetectedObject object : before) jobs.add(new Job(plane, box(object), model.description()));
		final List<DetectedObject> moved = run(image, jobs, Progress.NONE);
		final List<DetectedObject> followed = new ArrayList<>();
		for (int i = 0; i < moved.size(); i++) {
			final DetectedObject object = moved.get(i);
			if (!(object.meanConfidence() >= FOLLOW_CONFIDENCE)) return null;
			followed.add(new DetectedObject(object.points(), object.confidence(), before.get(i).score(), before.get(i).track()));
		}
		// Two followed objects that became one (one went out of view behind the other): the stage decides.
		return ObjectFinder.distinct(followed, KeypointDetector::box, DetectedObject::score).size() == followed.size()
			? followed : null;
	}

	/** The track of the object of {@code before} that {@code object} overlaps most and none of {@code taken} has; 0 if none. */
	private static int sameObject(final DetectedObject object, final List<DetectedObject> before,
		final List<DetectedObject> taken)
	{
		int best = 0;
		double bestOverlap = ObjectFinder.SAME_OBJECT_OVERLAP;
		for (final DetectedObject candidate : before) {
			final double overlap = ObjectFinder.overlap(box(object), box(candidate));
			final boolean free = taken.stream().noneMatch(t -> t.track() == candidate.track());
			if (free && overlap > bestOverlap) {
				bestOverlap = overlap;
				best = candidate.track();
			}
		}
		return best;
	}

	/** The box of an object's keypoints. */
	private static CropBox box(final DetectedObject object) {
		return CropBox.around(object.points().x(), object.points().y());
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
		final List<PlaneKeypoints> points = new ArrayList<>();
		for (final DetectedObject found : run(image, jobs, progress)) points.add(found.points());
		return points;
	}

	private List<DetectedObject> run(final ImagePlus image, final List<Job> jobs, final Progress progress) {
		final ModelDescription description = model.description();
		final List<DetectedObject> found = new ArrayList<>();
		final float[] inputs = new float[BATCH * model.inputSize()];
		// The plane in use and its reductions: the objects of a plane are cut from it one after another.
		int cachedIndex = -1;
		final Map<Integer, SourcePlane> reductions = new HashMap<>();
		for (int first = 0; first < jobs.size(); first += BATCH) {
			if (progress.isCanceled()) break;
			final List<Job> batch = jobs.subList(first, Math.min(jobs.size(), first + BATCH));
			for (int b = 0; b < batch.size(); b++) {
				final Job job = batch.get(b);
				if (job.plane.stackIndex() != cachedIndex) {
					reductions.clear();
					reductions.put(1, SourcePlane.of(PlaneReader.read(image, job.plane.stackIndex(), description.channels()),
						image.getWidth(), image.getHeight()));
					cachedIndex = job.plane.stackIndex();
				}
				final AffineTransform inputToImage = job.inputToImage(description);
				final SourcePlane source = reductions.computeIfAbsent(SourcePlane.usefulFactor(InputSampler.scale(
					inputToImage)), factor -> reductions.get(1).reduce(factor));
				InputSampler.sample(source, inputToImage, description.inputWidth(), description.inputHeight(), inputs,
					b * model.inputSize());
				description.normalization().normalize(inputs, b * model.inputSize(),
					description.inputWidth() * description.inputHeight());
			}
			final KeypointModel.Inference outputs = model.infer(inputs, batch.size(), averageWithMirror);
			for (int b = 0; b < batch.size(); b++) {
				found.add(new DetectedObject(batch.get(b).toImage(outputs.points()[b], description), outputs.confidence()[b]));
			}
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
			point.setLocation(PixelCoordinates.toPixel(output[2 * k], description.inputWidth()),
				PixelCoordinates.toPixel(output[2 * k + 1], description.inputHeight()));
			toImage.transform(point, point);
			x[k] = point.x;
			y[k] = point.y;
		}
		return new PlaneKeypoints(plane, region, x, y);
	}
}
