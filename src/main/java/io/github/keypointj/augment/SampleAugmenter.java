package io.github.keypointj.augment;

import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PixelCoordinates;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.model.ModelDescription;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.util.List;
import java.util.Random;

/**
 * Makes one training sample: crop, one random affine for pixels and points, colour jitter,
 * normalisation. The random draws come from the generator given, so a sample depends only on it.
 */
public final class SampleAugmenter {

	private final ModelDescription description;
	private final Augmentation augmentation;
	private final int[] flipOrder;

	public SampleAugmenter(final ModelDescription description, final Augmentation augmentation) {
		this.description = description;
		this.augmentation = augmentation;
		final MirrorOrder mirror = description.mirror();
		this.flipOrder = mirror == null ? null : mirror.order();
	}

	/**
	 * Writes the network input (C x H x W, normalised) at {@code inputOffset} and the targets (x, y per
	 * keypoint as fractions of the input's extent; NaN for a missing keypoint) at {@code targetOffset}.
	 *
	 * @param channels the object's plane, intensities in [0, 1], one array per model channel
	 */
	public void sample(final float[][] channels, final int width, final int height, final PlaneKeypoints object,
		final Random random, final float[] inputs, final int inputOffset, final float[] targets, final int targetOffset)
	{
		final SourcePlane plane = SourcePlane.of(channels, width, height);
		sample(plane.reduce(SourcePlane.usefulFactor(cropScale(object))), object, random, inputs, inputOffset, targets,
			targetOffset);
	}

	/** How much the object's crop shrinks its image to the input (before any random change). */
	public double cropScale(final PlaneKeypoints object) {
		return InputSampler.scale(cropToImage(object));
	}

	private AffineTransform cropToImage(final PlaneKeypoints object) {
		return CropBox.forObject(object.region(), description.crop()).inputToImage(description.inputWidth(),
			description.inputHeight());
	}

	/** As above, from a plane that may be reduced (see {@link SourcePlane}). */
	public void sample(final SourcePlane source, final PlaneKeypoints object, final Random random, final float[] inputs,
		final int inputOffset, final float[] targets, final int targetOffset)
	{
		final int inputWidth = description.inputWidth();
		final int inputHeight = description.inputHeight();
		final AffineTransform cropToImage = cropToImage(object);
		final boolean flip = flipOrder != null && random.nextDouble() < augmentation.flipProbability();
		final AffineTransform change = randomChange(random, flip);
		// pixels: input -> (undo the change) -> crop -> image
		final AffineTransform inputToImage = new AffineTransform(cropToImage);
		inputToImage.concatenate(inverse(change));
		InputSampler.sample(source, inputToImage, inputWidth, inputHeight, inputs, inputOffset);
		ColorJitter.apply(augmentation, random, inputs, inputOffset, description.channels(), inputWidth,
			inputWidth * inputHeight);
		description.normalization().normalize(inputs, inputOffset, inputWidth * inputHeight);
		// points: image -> crop -> change, in the mirrored order when flipped
		final AffineTransform imageToInput = inverse(cropToImage);
		imageToInput.preConcatenate(change);
		final Point2D.Double point = new Point2D.Double();
		// the annotations' own offset from mirror symmetry, kept in the mirror image (image pixels)
		final double mirrorShift = flip ? description.mirrorShift() * inputWidth * cropToImage.getScaleX() : 0;
		for (int k = 0; k < object.count(); k++) {
			final int from = flip ? flipOrder[k] : k;
			point.setLocation(object.x()[from] - mirrorShift, object.y()[from]);
			imageToInput.transform(point, point);
			targets[targetOffset + 2 * k] = (float) PixelCoordinates.toFraction(point.x, inputWidth);
			targets[targetOffset + 2 * k + 1] = (float) PixelCoordinates.toFraction(point.y, inputHeight);
		}
	}

	/** The targets of an object without any random change (x, y per keypoint as fractions of the input). */
	public float[] targets(final PlaneKeypoints object) {
		final AffineTransform imageToInput = inverse(cropToImage(object));
		final float[] targets = new float[2 * object.count()];
		final Point2D.Double point = new Point2D.Double();
		for (int k = 0; k < object.count(); k++) {
			point.setLocation(object.x()[k], object.y()[k]);
			imageToInput.transform(point, point);
			targets[2 * k] = (float) PixelCoordinates.toFraction(point.x, description.inputWidth());
			targets[2 * k + 1] = (float) PixelCoordinates.toFraction(point.y, description.inputHeight());
		}
		return targets;
	}

	/**
	 * The mean of the objects' targets: the shape a model that ignores its input would predict. Each
	 * keypoint's mean is over the objects where it is labelled; one labelled nowhere is put in the middle.
	 */
	public float[] meanShape(final List<PlaneKeypoints> objects) {
		final float[] mean = new float[2 * description.keypointCount()];
		final List<float[]> targets = objects.stream().map(this::targets).toList();
		final int[] labelled = new int[mean.length];
		for (final float[] sample : targets) {
			for (int i = 0; i < mean.length; i++) {
				if (!Float.isNaN(sample[i])) labelled[i]++;
			}
		}
		for (final float[] sample : targets) {
			for (int i = 0; i < mean.length; i++) {
				if (!Float.isNaN(sample[i])) mean[i] += sample[i] / labelled[i];
			}
		}
		for (int i = 0; i < mean.length; i++) {
			if (labelled[i] == 0) mean[i] = 0.5f;
		}
		return mean;
	}

	/** A random change of the input's geometry, about its centre (input pixel coordinates). */
	private AffineTransform randomChange(final Random random, final boolean flip) {
		final double centerX = (description.inputWidth() - 1) / 2.0;
		final double centerY = (description.inputHeight() - 1) / 2.0;
		final double angle = Math.toRadians(Augmentation.uniform(random, augmentation.rotationDegrees()));
		final double scale = 1 + Augmentation.uniform(random, augmentation.scale());
		final double shiftX = Augmentation.uniform(random, augmentation.shift()) * description.inputWidth();
		final double shiftY = Augmentation.uniform(random, augmentation.shift()) * description.inputHeight();
		final AffineTransform change = new AffineTransform();
		change.translate(centerX + shiftX, centerY + shiftY);
		change.rotate(angle);
		change.scale(flip ? -scale : scale, scale);
		change.translate(-centerX, -centerY);
		return change;
	}

	private static AffineTransform inverse(final AffineTransform transform) {
		try {
			return transform.createInverse();
		}
		catch (final java.awt.geom.NoninvertibleTransformException e) {
			throw new IllegalStateException(e);
		}
	}
}
