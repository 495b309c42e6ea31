package io.github.keypointj.objects;

import io.github.keypointj.data.CropBox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the object stage's maps mean, both ways: per cell of a quarter of the input, channel 0 is the
 * logit of "an object's box is centred in this cell" (its target a Gaussian peak of 1 at the centre's
 * cell, CenterNet's), channels 1 and 2 the log of the box's width and height in units of
 * {@value #SIZE_UNIT} input pixels, read at the centre's cell. Boxes are in input area coordinates (an
 * input of side S spans [0, S]).
 */
public final class ObjectMaps {

	/** Input pixels per map cell. */
	public static final int STRIDE = 4;
	/** Input pixels of a box side whose log-size map value is 0. */
	static final double SIZE_UNIT = 16;
	/** Target channels: centre heat, log width, log height, and 1 at each centre's cell (where the sizes count). */
	static final int TARGET_MAPS = 4;

	private ObjectMaps() {}

	/** An object found on the maps: its box in input area coordinates, and the centre's score in [0, 1]. */
	public record Peak(CropBox box, double score) {}

	/** Values per sample of the targets for an input of {@code side}. */
	static int targetSize(final int side) {
		final int cells = side / STRIDE;
		return TARGET_MAPS * cells * cells;
	}

	/**
	 * Writes the targets of the boxes (input area coordinates) at {@code offset}: where the maps are all
	 * zero the input holds no object centre. Boxes whose centre lies outside the input are left out.
	 */
	static void writeTargets(final List<CropBox> boxes, final int side, final float[] targets, final int offset) {
		final int cells = side / STRIDE;
		final int plane = cells * cells;
		for (final CropBox box : boxes) {
			final double cx = (box.x() + box.width() / 2) / STRIDE;
			final double cy = (box.y() + box.height() / 2) / STRIDE;
			final int column = (int) Math.floor(cx), row = (int) Math.floor(cy);
			if (column < 0 || row < 0 || column >= cells || row >= cells) continue;
			// A larger object's centre is less sharply defined: its peak is wider (CenterNet scales it by the size).
			final double sigma = Math.max(0.8, Math.sqrt(box.width() * box.height()) / STRIDE / 10);
			final int reach = (int) Math.ceil(3 * sigma);
			for (int r = Math.max(0, row - reach); r <= Math.min(cells - 1, row + reach); r++) {
				for (int c = Math.max(0, column - reach); c <= Math.min(cells - 1, column + reach); c++) {
					final double d2 = (c - column) * (c - column) + (r - row) * (r - row);
					final float heat = (float) Math.exp(-d2 / (2 * sigma * sigma));
					final int i = offset + r * cells + c;
					targets[i] = Math.max(targets[i], heat);
				}
			}
			final int centre = row * cells + column;
			targets[offset + plane + centre] = (float) Math.log(Math.max(1e-3, box.width()) / SIZE_UNIT);
			targets[offset + 2 * plane + centre] = (float) Math.log(Math.max(1e-3, box.height()) / SIZE_UNIT);
			targets[offset + 3 * plane + centre] = 1;
		}
	}

	/**
	 * The peaks of the centre map (scores above {@code minScore} that no neighbour in 3x3 beats), strongest
	 * first, at most {@code most}, each with the box its size maps give; the centre is refined within the
	 * cell by the scores around it.
	 *
	 * @param maps the stage's output for one input: {@code 3 x cells x cells} values, centre logits first
	 */
	public static List<Peak> peaks(final float[] maps, final int offset, final int side, final double minScore,
		final int most)
	{
		final int cells = side / STRIDE;
		final int plane = cells * cells;
		final List<Peak> peaks = new ArrayList<>();
		for (int r = 0; r < cells; r++) {
			for (int c = 0; c < cells; c++) {
				final float logit = maps[offset + r * cells + c];
				final double score = sigmoid(logit);
				if (score < minScore || !isLocalMaximum(maps, offset, cells, c, r)) continue;
				// A centre of mass of the 3x3 scores: where between the cells the centre lies.
				double sum = 0, sx = 0, sy = 0;
				for (int dr = -1; dr <= 1; dr++) {
					for (int dc = -1; dc <= 1; dc++) {
						if (r + dr < 0 || c + dc < 0 || r + dr >= cells || c + dc >= cells) continue;
						final double s = sigmoid(maps[offset + (r + dr) * cells + c + dc]);
						sum += s;
						sx += s * dc;
						sy += s * dr;
					}
				}
				final double cx = (c + 0.5 + sx / sum) * STRIDE, cy = (r + 0.5 + sy / sum) * STRIDE;
				final double width = SIZE_UNIT * Math.exp(maps[offset + plane + r * cells + c]);
				final double height = SIZE_UNIT * Math.exp(maps[offset + 2 * plane + r * cells + c]);
				peaks.add(new Peak(new CropBox(cx - width / 2, cy - height / 2, width, height), score));
			}
		}
		peaks.sort(Comparator.comparingDouble(Peak::score).reversed());
		return peaks.size() > most ? new ArrayList<>(peaks.subList(0, most)) : peaks;
	}

	private static boolean isLocalMaximum(final float[] maps, final int offset, final int cells, final int c, final int r) {
		final float value = maps[offset + r * cells + c];
		for (int dr = -1; dr <= 1; dr++) {
			for (int dc = -1; dc <= 1; dc++) {
				if ((dr == 0 && dc == 0) || r + dr < 0 || c + dc < 0 || r + dr >= cells || c + dc >= cells) continue;
				final float other = maps[offset + (r + dr) * cells + c + dc];
				// Ties go to the first cell in reading order: a flat top gives one peak.
				if (other > value || other == value && (dr < 0 || dr == 0 && dc < 0)) return false;
			}
		}
		return true;
	}

	static double sigmoid(final double logit) {
		return 1 / (1 + Math.exp(-logit));
	}
}
