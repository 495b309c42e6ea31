package io.github.keypointj.train;

import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.model.ModelDescription;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How large the annotated objects are in the network's input: a whole 896-pixel frame shrunk to 128
 * leaves a mouse 17 network pixels long and its ears 3 apart, which no network tells apart well.
 * Training says so at its start, with what to do about it.
 */
public final class ObjectScale {

	/** Below this distance in network pixels, neighbouring keypoints blur into one another's heatmaps. */
	static final double CLOSE_POINTS = 4;
	/** An object spanning less than this part of the input's side wastes most of it. */
	static final double SMALL_OBJECT = 0.25;

	private ObjectScale() {}

	/**
	 * A Log line on the size of the objects in network pixels (medians over {@code training}): always
	 * when the network sees whole planes, else when the objects or their keypoints' distances are small;
	 * null otherwise.
	 */
	public static String describe(final AnnotatedStack stack, final List<Integer> training,
		final ModelDescription description)
	{
		final List<Double> widths = new ArrayList<>(), heights = new ArrayList<>(), nearest = new ArrayList<>();
		final List<Double> scalesX = new ArrayList<>(), scalesY = new ArrayList<>();
		for (final int index : training) {
			final PlaneKeypoints object = stack.objects().get(index);
			final CropBox crop = CropBox.forObject(object.region(), description.crop());
			final double sx = description.inputWidth() / crop.width(), sy = description.inputHeight() / crop.height();
			scalesX.add(1 / sx);
			scalesY.add(1 / sy);
			if (object.labelledCount() == 0) continue;
			final CropBox points = CropBox.around(object.x(), object.y()); // the labelled points' box
			widths.add(points.width() * sx);
			heights.add(points.height() * sy);
			double closest = Double.MAX_VALUE;
			for (int k = 0; k < object.count(); k++) {
				for (int j = k + 1; j < object.count(); j++) {
					if (object.isLabelled(k) && object.isLabelled(j)) closest = Math.min(closest, Math.hypot(
						(object.x()[j] - object.x()[k]) * sx, (object.y()[j] - object.y()[k]) * sy));
				}
			}
			if (closest < Double.MAX_VALUE) nearest.add(closest);
		}
		if (widths.isEmpty()) return null;
		final boolean wholePlanes = !description.crop().fromBox() && !stack.hasBoxes();
		final double width = median(widths), height = median(heights);
		final double close = nearest.isEmpty() ? Double.NaN : median(nearest);
		final boolean small = Math.max(width / description.inputWidth(), height / description.inputHeight()) < SMALL_OBJECT ||
			close < CLOSE_POINTS;
		if (!wholePlanes && !small) return null;
		final StringBuilder line = new StringBuilder(wholePlanes ? String.format(Locale.ROOT,
			"%s sees each whole %dx%d plane at %dx%d (%.1f x %.1f image pixels a network pixel). ",
			description.architecture().label(), stack.image().getWidth(), stack.image().getHeight(),
			description.inputWidth(), description.inputHeight(), median(scalesX), median(scalesY)) : "");
		line.append(String.format(Locale.ROOT, "In the network's %dx%d input the points of an object span %.0f x %.0f " +
			"pixels", description.inputWidth(), description.inputHeight(), width, height));
		if (!Double.isNaN(close)) line.append(String.format(Locale.ROOT, ", the closest two %.1f pixels apart", close));
		line.append(" (medians).");
		if (small) {
			line.append(" That is small for a network to tell the points apart: " + (wholePlanes ? "draw a rectangle " +
				"around the object on each plane (Image > Overlay > Add Selection) to train on crops around it, crop " +
				"the frames to the object, or give " : "give ") + "a larger input_width and input_height.");
		}
		return line.toString();
	}

	private static double median(final List<Double> values) {
		final List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		final int n = sorted.size();
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}
}
