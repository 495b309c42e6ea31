package io.github.keypointj.detect;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.keypointj.Progress;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.objects.ObjectFinder;
import io.github.keypointj.objects.SceneComposer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Chooses the object score threshold of a model with an object stage on scenes it was not trained on:
 * scenes composed of held-out planes, detected as Detect does ({@link KeypointDetector#find}), each
 * detection matched to a true box its keypoints' box overlaps by more than half (intersection over
 * union), and the score of the best F1 (precision and recall alike) taken; of equally good ones the
 * highest, which keeps fewer doubtful objects.
 *
 * @param threshold the score chosen
 * @param precision of the detections at that score
 * @param recall of the true boxes at that score
 * @param scenes how many scenes it was measured on
 */
public record ThresholdChoice(double threshold, double precision, double recall, int scenes) {

	/** The lowest score looked at. */
	static final double LOWEST = 0.05;

	/** Measures {@code model} on {@code count} scenes of {@code composer}'s {@code planes} planes. */
	public static ThresholdChoice measure(final KeypointModel model, final SceneComposer composer, final int count,
		final int planes, final long seed)
	{
		final KeypointDetector detector = new KeypointDetector(model);
		final List<Double> truePositives = new ArrayList<>();
		final List<Double> falsePositives = new ArrayList<>();
		int boxes = 0;
		for (int index = 0; index < count; index++) {
			final SceneComposer.Scene scene = composer.compose(index % planes, new Random(seed * 31 + index));
			final ImagePlus image = new ImagePlus("scene", processor(scene));
			final List<CropBox> truth = scene.boxes();
			boxes += truth.size();
			final boolean[] taken = new boolean[truth.size()];
			for (final DetectedObject object : detector.find(image, List.of(PlanePosition.of(image, 1)),
				KeypointDetector.DEFAULT_REFINE_ROUNDS, LOWEST, false, Progress.NONE))
			{
				final CropBox found = CropBox.around(object.points().x(), object.points().y());
				int match = -1;
				double best = 0.5;
				for (int t = 0; t < truth.size(); t++) {
					final double overlap = ObjectFinder.overlap(found, truth.get(t));
					if (!taken[t] && overlap > best) {
						best = overlap;
						match = t;
					}
				}
				if (match >= 0) {
					taken[match] = true;
					truePositives.add(object.score());
				}
				else falsePositives.add(object.score());
			}
		}
		ThresholdChoice chosen = null;
		double bestF1 = -1;
		for (int step = 1; step <= 19; step++) {
			final double threshold = step * 0.05;
			final long found = truePositives.stream().filter(score -> score >= threshold).count();
			final long extra = falsePositives.stream().filter(score -> score >= threshold).count();
			final double precision = found + extra == 0 ? 1 : found / (double) (found + extra);
			final double recall = boxes == 0 ? 1 : found / (double) boxes;
			final double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
			if (f1 >= bestF1) {
				bestF1 = f1;
				chosen = new ThresholdChoice(threshold, precision, recall, count);
			}
		}
		return chosen;
	}

	/** A scene as an image: RGB, or 32-bit grey in [0, 1] (the display range the plane reader scales by). */
	private static ImageProcessor processor(final SceneComposer.Scene scene) {
		final float[][] channels = scene.channels();
		final int side = scene.side();
		if (channels.length == 1) {
			final FloatProcessor grey = new FloatProcessor(side, side, channels[0].clone());
			grey.setMinAndMax(0, 1);
			return grey;
		}
		final ColorProcessor rgb = new ColorProcessor(side, side);
		for (int i = 0; i < side * side; i++) {
			rgb.set(i, Math.round(255 * channels[0][i]) << 16 | Math.round(255 * channels[1][i]) << 8 |
				Math.round(255 * channels[2][i]));
		}
		return rgb;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%.2f (precision %.3f, recall %.3f on %d scenes of held-out planes)", threshold,
			precision, recall, scenes);
	}
}
