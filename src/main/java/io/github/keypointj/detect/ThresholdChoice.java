package io.github.keypointj.objects;

import io.github.keypointj.data.CropBox;
import io.github.keypointj.model.ObjectStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Chooses an object stage's threshold on scenes it was not trained on: scenes composed of held-out
 * planes, each peak of the stage matched to a true box it overlaps by more than half (intersection over
 * union), and the score of the best F1 (precision and recall alike) taken; of equally good ones the
 * highest, which keeps fewer doubtful objects.
 *
 * @param threshold the score chosen
 * @param precision of the peaks at that score
 * @param recall of the true boxes at that score
 * @param scenes how many scenes it was measured on
 */
public record ThresholdChoice(double threshold, double precision, double recall, int scenes) {

	/** The lowest score a threshold can be. */
	static final double LOWEST = 0.05;

	/** Measures {@code stage} on {@code count} scenes of {@code composer}'s planes. */
	public static ThresholdChoice measure(final ObjectStage stage, final SceneComposer composer, final int count,
		final int planes, final long seed)
	{
		final int side = stage.description().inputSide();
		final List<Double> truePeaks = new ArrayList<>();
		final List<Double> falsePeaks = new ArrayList<>();
		int boxes = 0;
		final float[] input = new float[composer.inputSize()];
		final float[] targets = new float[composer.targetSize()];
		for (int scene = 0; scene < count; scene++) {
			java.util.Arrays.fill(targets, 0);
			composer.make(scene % planes, new Random(seed * 31 + scene), input, 0, targets, 0);
			final List<CropBox> truth = ObjectMaps.targetBoxes(targets, 0, side);
			boxes += truth.size();
			final boolean[] taken = new boolean[truth.size()];
			for (final ObjectMaps.Peak peak : ObjectMaps.peaks(stage.infer(input, 1), 0, side, LOWEST, ObjectFinder.MOST)) {
				int match = -1;
				double best = 0.5;
				for (int t = 0; t < truth.size(); t++) {
					final double overlap = ObjectFinder.overlap(peak.box(), truth.get(t));
					if (!taken[t] && overlap > best) {
						best = overlap;
						match = t;
					}
				}
				if (match >= 0) {
					taken[match] = true;
					truePeaks.add(peak.score());
				}
				else falsePeaks.add(peak.score());
			}
		}
		ThresholdChoice chosen = null;
		double bestF1 = -1;
		for (int step = 1; step <= 19; step++) {
			final double threshold = step * 0.05;
			final long found = truePeaks.stream().filter(score -> score >= threshold).count();
			final long extra = falsePeaks.stream().filter(score -> score >= threshold).count();
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

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%.2f (precision %.3f, recall %.3f on %d scenes of held-out planes)", threshold,
			precision, recall, scenes);
	}
}
