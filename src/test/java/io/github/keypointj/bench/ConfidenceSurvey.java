package io.github.keypointj.bench;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import io.github.keypointj.Progress;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.DetectedObject;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.detect.Region;
import io.github.keypointj.io.ImageFiles;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How sure a heatmap model is of faces and of what is not a face: the evidence for Detect Keypoints'
 * default {@code min_confidence}. Prints the mean confidence of the model on every annotated face of a
 * folder of images with .pts files, in its box (quantiles), and every candidate the search refines on
 * each photo of a folder, with how long the search took. Not a test:
 * {@code ConfidenceSurvey MODEL PTS_FOLDER PHOTO_FOLDER}.
 */
public final class ConfidenceSurvey {

	private ConfidenceSurvey() {}

	public static void main(final String[] args) throws IOException {
		final Path model = Paths.get(args[0]);
		try (KeypointModel loaded = ModelFile.load(model, Device.cpu())) {
			final KeypointDetector detector = new KeypointDetector(loaded);
			final ImagePlus faces = LandmarkImporter.readPtsFolder(Paths.get(args[1]), new LandmarkImporter.Settings(2, 224,
				true), Progress.NONE).image();
			final double[] means = detector.detect(faces, PlanePosition.toProcess(faces, true), Region.BOXES_IN_OVERLAY,
				Progress.NONE).stream().mapToDouble(DetectedObject::meanConfidence).sorted().toArray();
			System.out.printf(Locale.ROOT, "faces in their boxes (%d): min %.3f, 1%% %.3f, 5%% %.3f, median %.3f, max %.3f%n",
				means.length, means[0], quantile(means, 0.01), quantile(means, 0.05), quantile(means, 0.5),
				means[means.length - 1]);
			for (final Path photo : ImageFiles.list(Paths.get(args[2]))) {
				final ImagePlus image = IJ.openImage(photo.toString());
				final long start = System.nanoTime();
				final List<DetectedObject> candidates = detector.search(image, PlanePosition.toProcess(image, false), 3, 0,
					Progress.NONE);
				final double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf(Locale.ROOT, "%s (%dx%d, %.1f s):%n", photo.getFileName(), image.getWidth(),
					image.getHeight(), seconds);
				for (final DetectedObject candidate : candidates) {
					final double[] x = candidate.points().x(), y = candidate.points().y();
					System.out.printf(Locale.ROOT, "  confidence %.3f, points' box x %.0f-%.0f, y %.0f-%.0f%n",
						candidate.meanConfidence(), Arrays.stream(x).min().getAsDouble(), Arrays.stream(x).max().getAsDouble(),
						Arrays.stream(y).min().getAsDouble(), Arrays.stream(y).max().getAsDouble());
				}
			}
		}
	}

	private static double quantile(final double[] sorted, final double q) {
		return sorted[(int) Math.floor(q * (sorted.length - 1))];
	}
}
