package io.github.keypointj.bench;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageConverter;
import ij.process.ImageProcessor;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.eval.PointErrors;
import io.github.keypointj.eval.SearchEvaluation;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Box-free detection on annotated photos, side by side with another tool's detections (dlib's, from
 * {@code scripts/dlib/run}): faces found, missed and extra, the NME of those found, precision and recall
 * over the object score, and the time per photo after the first. Each photo is one image, at its own
 * size, as the main job opens it; its .pts file (1-based) is the truth. Then, with tracking, a video-like
 * stack of one photo moving a little from plane to plane: planes per second. Not a test:
 * <p>
 * {@code DetectionBenchmark MODEL PHOTO_LIST [DLIB_CSV [DLIB_TIMES_CSV]]}
 */
public final class DetectionBenchmark {

	/** Detect's refine_rounds, or another number to measure what they buy ({@code -Dbench.rounds=1}). */
	private static final int ROUNDS = Integer.getInteger("bench.rounds", KeypointDetector.DEFAULT_REFINE_ROUNDS);

	private DetectionBenchmark() {}

	public static void main(final String[] args) throws IOException {
		final long start = System.nanoTime();
		final Path modelFile = Paths.get(args[0]);
		final List<Path> photos = Files.readAllLines(Paths.get(args[1])).stream().filter(line -> !line.isBlank())
			.map(Paths::get).toList();
		try (KeypointModel model = ModelFile.load(modelFile, Device.cpu())) {
			final double loaded = (System.nanoTime() - start) / 1e9;
			final KeypointDetector detector = new KeypointDetector(model);
			final double threshold = model.objectStage().description().threshold();
			final List<SearchEvaluation> ours = new ArrayList<>();
			final List<SearchEvaluation> asDetected = new ArrayList<>();
			final List<PlaneKeypoints> truths = new ArrayList<>();
			double firstSeconds = 0, firstDone = 0, restSeconds = 0, inBoxNme = 0;
			final Path sheets = System.getProperty("bench.sheets") == null ? null : Paths.get(System.getProperty("bench.sheets"));
			for (int i = 0; i < photos.size(); i++) {
				final ImagePlus image = IJ.openImage(photos.get(i).toString());
				// A few LFPW photos are 16-bit greyscale PNGs: as 8-bit, as dlib reads them.
				if (image.getBitDepth() == 16) new ImageConverter(image).convertToGray8();
				final PlaneKeypoints truth = truth(photos.get(i), image);
				truths.add(truth);
				// Timed as Detect runs: the objects scoring at least the model's threshold.
				final long t0 = System.nanoTime();
				final List<DetectedObject> kept = detector.find(image, List.of(truth.plane()), ROUNDS, threshold, false,
					Progress.NONE);
				final double seconds = (System.nanoTime() - t0) / 1e9;
				if (i == 0) {
					firstSeconds = seconds;
					firstDone = (System.nanoTime() - start) / 1e9;
				}
				else restSeconds += seconds;
				// Every candidate down to 0.05, for the curve over the score.
				final List<DetectedObject> found = detector.find(image, List.of(truth.plane()), ROUNDS, 0.05, false,
					Progress.NONE);
				ours.add(SearchEvaluation.match(List.of(truth), found, threshold));
				asDetected.add(SearchEvaluation.match(List.of(truth), kept, threshold));
				// The same face in its annotated box, re-cropped as Detect does in a box: what the search costs.
				final CropBox box = truth.region();
				image.setRoi(new ij.gui.Roi(box.x(), box.y(), box.width(), box.height()));
				final List<DetectedObject> inBox = detector.refine(image, detector.detect(image, List.of(truth.plane()),
					Region.SELECTION, Progress.NONE), ROUNDS, Progress.NONE);
				image.deleteRoi();
				inBoxNme += PointErrors.of(inBox.get(0).points(), truth).nme() / photos.size();
				if (sheets != null) sheet(image, ours.get(i), threshold, sheets, photos.get(i));
			}
			final SearchEvaluation all = SearchEvaluation.combine(ours);
			System.out.printf(Locale.ROOT, "KeypointJ in the annotated boxes (truth's points' box, refined): NME %.2f %%%n",
				inBoxNme);
			System.out.printf(Locale.ROOT, "KeypointJ %s: model loaded in %.1f s, first photo %.2f s (done %.1f s after the " +
				"start), then %.0f ms per photo (%d photos)%n", modelFile.getFileName(), loaded, firstSeconds, firstDone,
				1000 * restSeconds / Math.max(1, photos.size() - 1), photos.size());
			System.out.printf(Locale.ROOT, "KeypointJ as Detect runs it (the timed pass): %s%n",
				SearchEvaluation.combine(asDetected).describe());
			report("KeypointJ", all, threshold);
			if (args.length > 2) {
				final SearchEvaluation dlib = SearchEvaluation.combine(readOther(Paths.get(args[2]), photos, truths));
				report("dlib", dlib, 0);
				if (args.length > 3) System.out.println("dlib times: " + dlibTimes(Paths.get(args[3])));
			}
			tracking(detector, photos.get(0), threshold);
		}
	}

	/**
	 * The photo with what was missed or extra at the threshold (truth green, found red, extra yellow), as
	 * PNG into {@code folder}, for a person to tell real faces from false ones; nothing when all is right.
	 */
	private static void sheet(final ImagePlus image, final SearchEvaluation evaluation, final double threshold,
		final Path folder, final Path photo) throws IOException
	{
		if (evaluation.found(threshold) == evaluation.truth().size() && evaluation.extra(threshold) == 0) return;
		final ij.gui.Overlay overlay = new ij.gui.Overlay();
		final PlaneKeypoints truth = evaluation.truth().get(0);
		overlay.add(box(truth, java.awt.Color.GREEN));
		for (int d = 0; d < evaluation.detections().size(); d++) {
			final DetectedObject object = evaluation.detections().get(d);
			if (object.score() < threshold) break;
			final ij.gui.Roi roi = box(object.points(), evaluation.matches()[d] >= 0 ? java.awt.Color.RED : java.awt.Color.YELLOW);
			roi.setName(String.format(Locale.ROOT, "%.2f", object.score()));
			overlay.add(roi);
			final ij.gui.TextRoi label = new ij.gui.TextRoi(roi.getBounds().x, roi.getBounds().y - 14,
				String.format(Locale.ROOT, "%.2f", object.score()));
			label.setStrokeColor(java.awt.Color.YELLOW);
			overlay.add(label);
		}
		final ImagePlus copy = new ImagePlus(image.getTitle(), image.getProcessor().convertToRGB());
		copy.setOverlay(overlay);
		Files.createDirectories(folder);
		new ij.io.FileSaver(copy.flatten()).saveAsPng(folder.resolve(photo.getFileName() + ".png").toString());
	}

	private static ij.gui.Roi box(final PlaneKeypoints points, final java.awt.Color color) {
		final CropBox box = CropBox.around(points.x(), points.y());
		final ij.gui.Roi roi = new ij.gui.Roi(box.x(), box.y(), box.width(), box.height());
		roi.setStrokeColor(color);
		roi.setStrokeWidth(2);
		return roi;
	}

	private static void report(final String tool, final SearchEvaluation evaluation, final double threshold) {
		System.out.printf(Locale.ROOT, "%s at score %.2f: %s%n", tool, threshold, evaluation.describe());
		System.out.println("  score  found  extra  NME of found (%)");
		for (double score = 0.05; score < 1; score += 0.05) {
			final double nme = evaluation.errors(score).stream().mapToDouble(e -> e.nme()).average().orElse(Double.NaN);
			System.out.printf(Locale.ROOT, "  %.2f  %5d  %5d  %.2f%n", score, evaluation.found(score), evaluation.extra(score),
				nme);
		}
	}

	/** The photo's annotated face, from the .pts beside it (1-based pixel coordinates). */
	private static PlaneKeypoints truth(final Path photo, final ImagePlus image) {
		final String name = photo.getFileName().toString();
		final double[][] points = LandmarkImporter.readPts(photo.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".pts"));
		final double[] x = points[0].clone(), y = points[1].clone();
		for (int k = 0; k < x.length; k++) {
			x[k] -= 1;
			y[k] -= 1;
		}
		return new PlaneKeypoints(PlanePosition.of(image, 1), CropBox.around(x, y), x, y);
	}

	/** Another tool's detections in KeypointJ's keypoints.csv layout (file, object, point, name, x, y, confidence). */
	private static List<SearchEvaluation> readOther(final Path csv, final List<Path> photos, final List<PlaneKeypoints> truths)
		throws IOException
	{
		final Map<String, Map<Integer, List<double[]>>> byFile = new LinkedHashMap<>();
		final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		for (final String line : lines.subList(1, lines.size())) {
			final String[] cells = line.split(",");
			final int n = cells.length;
			byFile.computeIfAbsent(cells[0].replace("\"", ""), key -> new LinkedHashMap<>())
				.computeIfAbsent(Integer.parseInt(cells[n - 6]), key -> new ArrayList<>())
				.add(new double[] { Double.parseDouble(cells[n - 3]), Double.parseDouble(cells[n - 2]),
					Double.parseDouble(cells[n - 1]) });
		}
		final List<SearchEvaluation> evaluations = new ArrayList<>();
		for (int i = 0; i < photos.size(); i++) {
			final List<DetectedObject> found = new ArrayList<>();
			for (final List<double[]> points : byFile.getOrDefault(photos.get(i).toString(), Map.of()).values()) {
				final double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
				final double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
				found.add(new DetectedObject(new PlaneKeypoints(truths.get(i).plane(), null, x, y), new float[x.length],
					points.get(0)[2], 0));
			}
			evaluations.add(SearchEvaluation.match(List.of(truths.get(i)), found, 0));
		}
		return evaluations;
	}

	private static String dlibTimes(final Path csv) throws IOException {
		final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		double detector = 0, landmarks = 0;
		for (final String line : lines.subList(1, lines.size())) {
			final String[] cells = line.split(",");
			detector += Double.parseDouble(cells[cells.length - 2]);
			landmarks += Double.parseDouble(cells[cells.length - 1]);
		}
		final int n = lines.size() - 1;
		return String.format(Locale.ROOT, "%.0f ms per photo (detector %.0f, landmarks %.0f)", (detector + landmarks) / n,
			detector / n, landmarks / n);
	}

	/** A video-like stack: the photo shifted by up to 8 px and scaled by up to 4 % from plane to plane, 200 planes. */
	private static void tracking(final KeypointDetector detector, final Path photo, final double threshold) {
		final ImagePlus image = IJ.openImage(photo.toString());
		final ImageStack frames = new ImageStack(image.getWidth(), image.getHeight());
		for (int t = 0; t < 200; t++) {
			final ImageProcessor frame = image.getProcessor().duplicate();
			frame.setInterpolationMethod(ImageProcessor.BILINEAR);
			frame.scale(1 + 0.04 * Math.sin(t / 15.0), 1 + 0.04 * Math.sin(t / 15.0));
			frame.translate(8 * Math.sin(t / 10.0), 6 * Math.cos(t / 12.0));
			frames.addSlice(frame);
		}
		final ImagePlus video = new ImagePlus("video", frames);
		final List<PlanePosition> planes = PlanePosition.toProcess(video, true);
		detector.find(video, planes.subList(0, 5), KeypointDetector.DEFAULT_REFINE_ROUNDS, 0, true, Progress.NONE);
		final long t0 = System.nanoTime();
		final List<DetectedObject> found = detector.find(video, planes, KeypointDetector.DEFAULT_REFINE_ROUNDS,
			threshold, true, Progress.NONE);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final long tracks = found.stream().mapToInt(DetectedObject::track).distinct().count();
		System.out.printf(Locale.ROOT, "tracking %s through %d planes: %.1f planes/s, %d objects in %d track(s)%n",
			photo.getFileName(), planes.size(), planes.size() / seconds, found.size(), tracks);
	}
}
