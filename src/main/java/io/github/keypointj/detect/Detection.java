package io.github.keypointj.detect;

import ai.djl.Device;
import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.engine.EngineThread;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.engine.NativeMemory;
import io.github.keypointj.engine.ShutdownGuard;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.util.ArrayList;
import java.util.List;

/**
 * Detect Keypoints without any user interface: checks, loads the model, detects, and writes the
 * points into the image's overlay. Scripts may call it directly.
 */
public final class Detection {

	private Detection() {}

	/**
	 * Detects keypoints on {@code image}, writes them to the request's CSV file if it names one, and
	 * replaces KeypointJ's earlier points on the processed planes. Nothing on the image changes, and no
	 * file, when it fails or is cancelled.
	 *
	 * @return what was found
	 * @throws KeypointException with a message for the user when the input is wrong
	 */
	public static DetectionResult run(final ImagePlus image, final DetectionRequest request,
		final Progress progress)
	{
		return run(image, request, progress, ShutdownGuard.JVM);
	}

	/** {@link #run}, stopping after the batch under way when {@code guard} says the JVM is shutting down. */
	static DetectionResult run(final ImagePlus image, final DetectionRequest request, final Progress progress,
		final ShutdownGuard guard)
	{
		// On one thread, whichever command's thread asks, and what it freed handed back: each command's new
		// thread could take another malloc arena that kept what its detections freed (a batch of 200 photos
		// grew to 2.2 GB on a larger machine, issue 26)
		return EngineThread.call(() -> {
			try {
				return guard.run("the detection", progress, stoppable -> detect(image, request, stoppable));
			}
			finally {
				NativeMemory.handBackFreedMemory();
			}
		});
	}

	private static DetectionResult detect(final ImagePlus image, final DetectionRequest request,
		final Progress progress)
	{
		Images.requireOpen(image);
		if (request.refineRounds() < 0) {
			throw new KeypointException("refine_rounds=" + request.refineRounds() + " is negative; give 0 or more rounds.");
		}
		if (!(request.minConfidence() >= 0 && request.minConfidence() <= 1)) {
			throw new KeypointException("min_confidence=" + request.minConfidence() + " is not between 0 and 1.");
		}
		if (request.csvFile() != null) OutputFile.requireWritable(request.csvFile(), request.overwrite(), "csv_file");
		final ModelDescription description = ModelFile.readDescription(request.model());
		PlaneReader.requireCompatible(image, description.channels());
		final List<PlanePosition> planes = PlanePosition.toProcess(image, request.allPlanes());
		// the first run in a session unpacks the natives and checks the convolutions: up to 20 s to say something about
		progress.report("Loading PyTorch and " + request.model().getFileName(), 0, planes.size());
		final Device device = KeypointEngine.devices(request.device())[0];
		final List<DetectedObject> found;
		try (ModelCache.Lease lease = ModelCache.borrow(request.model(), device)) {
			final KeypointModel model = lease.model();
			found = find(new KeypointDetector(model, request.mirrorAverage()), model, image, planes, request, progress);
		}
		if (progress.isCanceled()) return new DetectionResult(description, List.of(), true, List.of());
		final List<DetectedObject> plausible = new ArrayList<>();
		final List<String> rejected = new ArrayList<>();
		for (final DetectedObject object : found) {
			final String why = object.points().implausibility(image.getWidth(), image.getHeight());
			if (why == null) plausible.add(object);
			else rejected.add(planeName(image, object.points().plane()) + ": " + why);
		}
		final DetectionResult result = new DetectionResult(description, plausible, false, rejected, notes(description,
			request, image, planes, plausible));
		// The file first: when it cannot be written, the image stays as it was.
		if (request.csvFile() != null) OutputFile.save(KeypointTable.of(image, result), request.csvFile(), "csv_file");
		KeypointOverlay.replaceDetections(image, planes, result.keypoints(), result.objectNumbers(), result.tracked(),
			description.name(), description.keypointNames());
		return result;
	}

	/**
	 * The objects on the planes: where the request says they are (heatmap models then re-crop around the
	 * points they find), or, on the whole image, found by the model's object stage, through the stack's
	 * planes as tracks with {@code all_slices}. Models trained on crops around boxes that have no stage
	 * (files from before it) take the whole plane as one object's region and re-crop around the points
	 * they find there; models of whole regions see the whole plane as trained.
	 */
	private static List<DetectedObject> find(final KeypointDetector detector, final KeypointModel model,
		final ImagePlus image, final List<PlanePosition> planes, final DetectionRequest request, final Progress progress)
	{
		final ModelDescription description = detector.description();
		final boolean heatmaps = description.architecture().heatmaps();
		if (!description.crop().fromBox()) return detector.detect(image, planes, request.region(), progress);
		if (request.region() != Region.WHOLE_IMAGE) {
			// A box drawn by hand is rarely the points' box the model was trained around: a heatmap model
			// re-crops around its points, so the result does not depend on how the box was drawn.
			final List<DetectedObject> inBoxes = detector.detect(image, planes, request.region(), progress);
			return heatmaps ? detector.refine(image, inBoxes, request.refineRounds(), progress) : inBoxes;
		}
		if (model.objectStage() != null) {
			final double minScore = request.minConfidence() > 0 ? request.minConfidence()
				: model.objectStage().description().threshold();
			return detector.find(image, planes, request.refineRounds(), minScore, planes.size() > 1, progress);
		}
		return detector.detectSelfRefined(image, planes, request.refineRounds(), progress);
	}

	/** What the user should know about how {@link #find} looked for the objects, and where it found none. */
	private static List<String> notes(final ModelDescription description, final DetectionRequest request,
		final ImagePlus image, final List<PlanePosition> planes, final List<DetectedObject> found)
	{
		final List<String> notes = new ArrayList<>();
		final String scaling = PlaneReader.scalingNote(image);
		if (scaling != null) notes.add(scaling);
		notes.addAll(searchNotes(description, request, image, planes, found));
		return notes;
	}

	private static List<String> searchNotes(final ModelDescription description, final DetectionRequest request,
		final ImagePlus image, final List<PlanePosition> planes, final List<DetectedObject> found)
	{
		if (request.region() != Region.WHOLE_IMAGE || !description.crop().fromBox()) return List.of();
		if (description.objectStage() != null) {
			// a plane with nothing on it gets no points: said, so that an empty result is not taken for a failure
			final List<String> empty = new ArrayList<>();
			for (final PlanePosition plane : planes) {
				if (found.stream().noneMatch(o -> o.points().plane().stackIndex() == plane.stackIndex())) {
					empty.add(planeName(image, plane));
				}
			}
			if (empty.isEmpty()) return List.of();
			final String threshold = request.minConfidence() > 0 ? "min_confidence=" + request.minConfidence()
				: "the model's threshold " + description.objectStage().threshold();
			return List.of("Nothing found on " + (empty.size() <= 10 ? String.join(", ", empty) : String.join(", ",
				empty.subList(0, 10)) + " and " + (empty.size() - 10) + " more plane(s)") + ": no object scored " + threshold +
				" or more.");
		}
		return List.of(description.name() + " has no object stage (a model file from before KeypointJ had one): it took " +
			"each whole plane as one object's region and re-cropped around the points it found there, which finds one " +
			"object that fills most of the plane. For every object on a plane, train the model with object_stage=true, or " +
			"give boxes (region=selection or boxes in overlay).");
	}

	/** A plane as a user finds it: its slice number and label. */
	private static String planeName(final ImagePlus image, final PlanePosition plane) {
		final String label = image.getStack().getShortSliceLabel(plane.stackIndex());
		return "slice " + plane.stackIndex() + (label == null || label.isEmpty() ? "" : " (" + label + ")");
	}
}
