package io.github.keypointj.augment;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.PixelCoordinates;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.PlaneWriter;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.Normalization;

import java.awt.Color;
import java.util.Random;

/**
 * The data loader at work: samples as the network sees them (crop, random changes, input size) with
 * their target points drawn on, as a stack.
 */
public final class SamplePreview {

	private SamplePreview() {}

	public static ImagePlus make(final AnnotatedStack stack, final ModelDescription description,
		final Augmentation augmentation, final int count, final long seed)
	{
		// Intensities as sampled, not normalised: the preview shows what the jitter did.
		final int channels = description.channels();
		final ModelDescription raw = new ModelDescription(description.name(), description.architecture(),
			description.inputWidth(), description.inputHeight(), channels,
			Normalization.identity(channels), description.keypointNames(), description.crop());
		final SampleAugmenter augmenter = new SampleAugmenter(raw, augmentation);
		final int width = description.inputWidth();
		final int height = description.inputHeight();
		final ImageStack samples = new ImageStack(width, height);
		final Overlay overlay = new Overlay();
		final ImagePlus preview = new ImagePlus();
		final Random random = new Random(seed);
		final float[] input = new float[channels * width * height];
		final float[] targets = new float[2 * description.keypointCount()];
		for (int i = 0; i < count; i++) {
			final PlaneKeypoints object = stack.objects().get(random.nextInt(stack.objects().size()));
			augmenter.sample(PlaneReader.read(stack.image(), object.plane().stackIndex(), channels),
				stack.image().getWidth(), stack.image().getHeight(), object, new Random(random.nextLong()), input, 0, targets, 0);
			final String label = stack.image().getStack().getSliceLabel(object.plane().stackIndex());
			samples.addSlice("sample " + (i + 1) + " of " + (label != null ? label : "plane " + object.plane().stackIndex()),
				PlaneWriter.toProcessor(input, width, height, channels));
			final float[] x = new float[description.keypointCount()];
			final float[] y = new float[description.keypointCount()];
			int labelled = 0;
			for (int k = 0; k < x.length; k++) {
				if (Float.isNaN(targets[2 * k])) continue; // missing on this plane: nothing to draw
				x[labelled] = (float) PixelCoordinates.toPixel(targets[2 * k], width);
				y[labelled++] = (float) PixelCoordinates.toPixel(targets[2 * k + 1], height);
			}
			final PointRoi points = new PointRoi(x, y, labelled);
			points.setStrokeColor(Color.GREEN);
			points.setPointType(PointRoi.DOT);
			overlay.add(points);
		}
		preview.setStack("Training samples", samples);
		for (int i = 0; i < overlay.size(); i++) {
			final PlanePosition plane = PlanePosition.of(preview, i + 1);
			plane.place(overlay.get(i), preview);
		}
		preview.setOverlay(overlay);
		return preview;
	}
}
