package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.process.ColorProcessor;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.eval.EvaluationRequest;
import io.github.keypointj.eval.EvaluationRun;
import io.github.keypointj.eval.SearchEvaluation;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.ObjectStage;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.objects.ObjectFinder;
import io.github.keypointj.objects.ObjectMaps;
import io.github.keypointj.train.ObjectStageTraining;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with an object stage finds every object on a whole image by itself: trained on made-up
 * "faces" (a bright disc with two dark eyes and a mouth), one per 64x64 plane, its stage learns from
 * scenes composed of those planes, and is shown a plane with two faces of different sizes, and a plane
 * with none. What must hold on every CPU: each face found, its points right, the weakest face scoring
 * well above anything else, and nothing kept on the empty plane.
 */
// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class ObjectSearchTest {

	private static final List<String> NAMES = List.of("left eye", "right eye", "mouth", "top");

	@TempDir
	Path folder;

	@Test
	void theObjectStageFindsEveryFaceOnAWholePlaneAndNothingElse() {
		final Random random = new Random(5);
		final ImageStack training = new ImageStack(64, 64);
		final List<PlaneKeypoints> objects = new ArrayList<>();
		for (int plane = 1; plane <= 320; plane++) {
			final ColorProcessor pixels = background(64, 64, random);
			final double radius = 10 + 8 * random.nextDouble();
			final PlaneKeypoints face = face(pixels, 18 + 28 * random.nextDouble(), 20 + 24 * random.nextDouble(), radius,
				new PlanePosition(plane, 1, plane, 1));
			training.addSlice(pixels);
			objects.add(new PlaneKeypoints(face.plane(), CropBox.around(face.x(), face.y()), face.x(), face.y()));
		}
		final AnnotatedStack stack = new AnnotatedStack(new ImagePlus("faces", training), objects, NAMES, 0, null);
		final Path model = folder.resolve("faces.zip");
		TrainingRun.run(stack, new TrainingRequest(Architecture.HEATMAP_NET, 48, 48, 12, 32, 2e-3f, true, "all", "none", 1,
			DeviceChoice.CPU, model, null), TrainingListener.NONE, Progress.NONE);
		// A smaller stage input than the default 256 keeps the test short; the scene below fills it. The last 40
		// planes are held out: the stage's threshold is chosen on them.
		ObjectStageTraining.addTo(model, stack, IntStream.rangeClosed(281, 320).boxed().toList(),
			new ObjectStageTraining.Request(10, 16, 2e-3f, 128, 1, DeviceChoice.CPU), TrainingListener.NONE, Progress.NONE);

		final ImageStack scenes = new ImageStack(220, 120);
		final ColorProcessor scene = background(220, 120, random);
		final List<PlaneKeypoints> truth = List.of(face(scene, 55, 62, 14, new PlanePosition(1, 1, 1, 1)),
			face(scene, 150, 58, 22, new PlanePosition(1, 1, 1, 1)));
		scenes.addSlice(scene);
		scenes.addSlice(background(220, 120, random));
		final ImagePlus image = new ImagePlus("scene", scenes);
		// Every candidate the stage has, to see the margin between faces and the rest.
		final DetectionResult all = Detection.run(image, new DetectionRequest(model, true, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, 3, null, false, 0.01), Progress.NONE);
		double weakestFace = 1, strongestOther = 0;
		for (final PlaneKeypoints face : truth) {
			final DetectedObject found = nearest(face, all.objects());
			weakestFace = Math.min(weakestFace, found.score());
			for (int k = 0; k < face.count(); k++) {
				final double error = Math.hypot(found.points().x()[k] - face.x()[k], found.points().y()[k] - face.y()[k]);
				assertTrue(error < 3, NAMES.get(k) + " of the face at " + face.x()[0] + " is " + error + " px off");
			}
		}
		for (final DetectedObject object : all.objects()) {
			final boolean isFace = truth.stream().anyMatch(face -> nearest(face, all.objects()) == object);
			if (!isFace) strongestOther = Math.max(strongestOther, object.score());
		}
		assertTrue(weakestFace > strongestOther + 0.2, "faces score from " + weakestFace + ", anything else up to " +
			strongestOther);
		final DetectionResult kept = Detection.run(image, new DetectionRequest(model, true, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, 3), Progress.NONE);
		assertEquals(2, kept.objects().size(), "the model's own threshold keeps the two faces and nothing else: " +
			kept.objects().stream().map(o -> o.points().plane().stackIndex() + ": " + o.score()).toList());
		assertTrue(kept.objects().stream().allMatch(o -> o.points().plane().stackIndex() == 1), "nothing on the empty plane");
		assertTrue(kept.notes().stream().anyMatch(note -> note.startsWith("Nothing found on slice 2")), kept.notes().toString());

		// Evaluate finds them as Detect does: both annotated faces found, nothing extra.
		image.setOverlay(null);
		final Overlay annotations = new Overlay();
		for (final PlaneKeypoints face : truth) annotations.add(KeypointOverlay.pointRoi(face.x(), face.y(), face.plane(), image));
		image.setOverlay(annotations);
		final SearchEvaluation evaluation = EvaluationRun.run(image, new EvaluationRequest(model, "all", 0, null, null, false,
			DeviceChoice.CPU, true), Progress.NONE).search();
		assertEquals(2, evaluation.found(evaluation.threshold()), evaluation.describe());
		assertEquals(0, evaluation.extra(evaluation.threshold()), evaluation.describe());

		// A stage that marks each face at half its size (its size maps' bias lowered by log 2), as a stage marked a
		// mouse against a wall as head and body, each half the animal: the first look at half a face is unsure,
		// the look twice as wide finds the face, its points as right as before.
		try (KeypointModel loaded = ModelFile.load(model, Device.cpu())) {
			final ObjectStage stage = loaded.objectStage();
			final PairList<String, Parameter> parameters = stage.block().getParameters();
			final NDArray bias = parameters.valueAt(parameters.size() - 1).getArray();
			final float[] values = bias.toFloatArray();
			values[1] -= (float) Math.log(2);
			values[2] -= (float) Math.log(2);
			bias.set(values);
			stage.weightsChanged();
			final SourcePlane plane = SourcePlane.of(PlaneReader.read(image, 1, 3), image.getWidth(), image.getHeight());
			for (final PlaneKeypoints face : truth) {
				final CropBox marked = new ObjectFinder(stage, loaded.description().normalization()).find(plane, 0.2).stream()
					.map(ObjectMaps.Peak::box).min(Comparator.comparingDouble(box -> centreDistance(box, face))).orElseThrow();
				final CropBox points = CropBox.around(face.x(), face.y());
				assertTrue(marked.width() < 0.7 * points.width(), "the stage marks the face at " + face.x()[0] +
					" as " + marked + ", its points' box is " + points);
			}
			final List<DetectedObject> found = new KeypointDetector(loaded).find(image, List.of(truth.get(0).plane()), 3,
				stage.description().threshold(), false, Progress.NONE);
			assertEquals(2, found.size(), "both faces, from the stage's half-size marks: " + found);
			for (final PlaneKeypoints face : truth) {
				final DetectedObject object = nearest(face, found);
				for (int k = 0; k < face.count(); k++) {
					final double error = Math.hypot(object.points().x()[k] - face.x()[k], object.points().y()[k] - face.y()[k]);
					assertTrue(error < 3, NAMES.get(k) + " of the face at " + face.x()[0] + " is " + error + " px off " +
						"from the half-size mark");
				}
			}
		}

		// Through a video: the two faces drift, each keeps its track number on every plane.
		final ImageStack frames = new ImageStack(220, 120);
		final List<List<PlaneKeypoints>> moving = new ArrayList<>();
		for (int t = 1; t <= 6; t++) {
			final ColorProcessor frame = background(220, 120, random);
			moving.add(List.of(face(frame, 50 + 2 * t, 62, 14, new PlanePosition(t, 1, t, 1)),
				face(frame, 155 - 2 * t, 58 + t, 22, new PlanePosition(t, 1, t, 1))));
			frames.addSlice(frame);
		}
		final DetectionResult tracked = Detection.run(new ImagePlus("video", frames), new DetectionRequest(model, true,
			Region.WHOLE_IMAGE, DeviceChoice.CPU, 3), Progress.NONE);
		assertEquals(12, tracked.objects().size(), "two faces on each of 6 planes");
		for (int face = 0; face < 2; face++) {
			final java.util.Set<Integer> tracks = new java.util.HashSet<>();
			for (final List<PlaneKeypoints> plane : moving) tracks.add(nearest(plane.get(face), tracked.objects().stream()
				.filter(o -> o.points().plane().equals(plane.get(0).plane())).toList()).track());
			assertEquals(1, tracks.size(), "face " + (face + 1) + " is one track: " + tracks);
			assertTrue(tracks.iterator().next() > 0);
		}
	}

	private static ColorProcessor background(final int width, final int height, final Random random) {
		final ColorProcessor pixels = new ColorProcessor(width, height);
		final int level = 40 + random.nextInt(40);
		for (int i = 0; i < width * height; i++) {
			final int v = Math.max(0, Math.min(255, (int) Math.round(level + 15 * random.nextGaussian())));
			pixels.set(i, v << 16 | v << 8 | v);
		}
		return pixels;
	}

	/** Draws a face of {@code radius} centred at (x, y); its four keypoints. */
	private static PlaneKeypoints face(final ColorProcessor pixels, final double x, final double y, final double radius,
		final PlanePosition plane)
	{
		final double[] px = { x - 0.4 * radius, x + 0.4 * radius, x, x };
		final double[] py = { y - 0.25 * radius, y - 0.25 * radius, y + 0.5 * radius, y - radius };
		for (int row = 0; row < pixels.getHeight(); row++) {
			for (int column = 0; column < pixels.getWidth(); column++) {
				final double distance = Math.hypot(column - x, row - y);
				if (distance > radius) continue;
				int value = 210;
				if (Math.hypot(column - px[0], row - py[0]) < 0.15 * radius ||
					Math.hypot(column - px[1], row - py[1]) < 0.15 * radius ||
					Math.abs(row - py[2]) < 0.08 * radius + 0.5 && Math.abs(column - px[2]) < 0.35 * radius)
				{
					value = 30;
				}
				pixels.set(column, row, value << 16 | (value * 3 / 4) << 8 | value / 2);
			}
		}
		return new PlaneKeypoints(plane, null, px, py);
	}

	private static DetectedObject nearest(final PlaneKeypoints face, final List<DetectedObject> found) {
		DetectedObject best = found.get(0);
		for (final DetectedObject candidate : found) {
			if (distance(candidate.points(), face) < distance(best.points(), face)) best = candidate;
		}
		return best;
	}

	private static double centreDistance(final CropBox box, final PlaneKeypoints face) {
		final CropBox points = CropBox.around(face.x(), face.y());
		return Math.hypot(box.x() + box.width() / 2 - points.x() - points.width() / 2,
			box.y() + box.height() / 2 - points.y() - points.height() / 2);
	}

	/** Between the mouths. */
	private static double distance(final PlaneKeypoints a, final PlaneKeypoints b) {
		return Math.hypot(a.x()[2] - b.x()[2], a.y()[2] - b.y()[2]);
	}
}
