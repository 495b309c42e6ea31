package io.github.keypointj.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.TrainingListener;
import io.github.keypointj.train.TrainingRequest;
import io.github.keypointj.train.TrainingRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heatmap model finds every object on a whole image by itself: trained on made-up "faces" (a bright
 * disc with two dark eyes and a mouth) cut out around their points, it is shown a plane with two faces
 * of different sizes and no box.
 */
// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class ObjectSearchTest {

	private static final List<String> NAMES = List.of("left eye", "right eye", "mouth", "top");

	@TempDir
	Path folder;

	@Test
	void aHeatmapModelFindsEveryFaceOnAWholePlane() {
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

		final ColorProcessor scene = background(220, 120, random);
		final List<PlaneKeypoints> truth = List.of(face(scene, 55, 62, 14, new PlanePosition(1, 1, 1, 1)),
			face(scene, 150, 58, 22, new PlanePosition(1, 1, 1, 1)));
		final ImagePlus image = new ImagePlus("scene", scene);
		final DetectionResult result = Detection.run(image, new DetectionRequest(model, false, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, 3), Progress.NONE);
		assertEquals(2, result.objects().size(), "two faces: " + result.confidenceSummary(0.3));
		for (final PlaneKeypoints face : truth) {
			final PlaneKeypoints found = nearest(face, result.keypoints());
			for (int k = 0; k < face.count(); k++) {
				final double error = Math.hypot(found.x()[k] - face.x()[k], found.y()[k] - face.y()[k]);
				assertTrue(error < 3, NAMES.get(k) + " of the face at " + face.x()[0] + " is " + error + " px off");
			}
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

	private static PlaneKeypoints nearest(final PlaneKeypoints face, final List<PlaneKeypoints> found) {
		PlaneKeypoints best = found.get(0);
		for (final PlaneKeypoints candidate : found) {
			if (Math.hypot(candidate.x()[2] - face.x()[2], candidate.y()[2] - face.y()[2]) <
				Math.hypot(best.x()[2] - face.x()[2], best.y()[2] - face.y()[2])) best = candidate;
		}
		return best;
	}
}
