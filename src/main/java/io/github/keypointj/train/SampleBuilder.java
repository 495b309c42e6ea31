package io.github.keypointj.train;

import ij.ImagePlus;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.model.ModelDescription;

import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Point2D;
import java.util.List;

/**
 * Makes network inputs and targets from annotated planes, with the same crop and sampling as
 * detection: the points go through the inverse of the transform that samples the pixels.
 */
public final class SampleBuilder {

	private SampleBuilder() {}

	public static Samples build(final ImagePlus image, final List<PlaneKeypoints> annotations,
		final ModelDescription description)
	{
		final int inputSize = description.channels() * description.inputWidth() * description.inputHeight();
		final int outputs = 2 * description.keypointCount();
		final float[] inputs = new float[annotations.size() * inputSize];
		final float[] targets = new float[annotations.size() * outputs];
		for (int i = 0; i < annotations.size(); i++) {
			final PlaneKeypoints plane = annotations.get(i);
			final AffineTransform inputToImage = CropBox.forObject(plane.region(), description.crop())
				.inputToImage(description.inputWidth(), description.inputHeight());
			InputSampler.sample(PlaneReader.read(image, plane.plane().stackIndex(), description.channels()),
				image.getWidth(), image.getHeight(), inputToImage, description.inputWidth(), description.inputHeight(),
				inputs, i * inputSize);
			description.normalization().normalize(inputs, i * inputSize, description.inputWidth() * description.inputHeight());
			final AffineTransform imageToInput = inverse(inputToImage);
			final Point2D.Double point = new Point2D.Double();
			for (int k = 0; k < plane.count(); k++) {
				point.setLocation(plane.x()[k], plane.y()[k]);
				imageToInput.transform(point, point);
				// input pixel coordinates (centres at integers) to fractions of the input's extent
				targets[i * outputs + 2 * k] = (float) ((point.x + 0.5) / description.inputWidth());
				targets[i * outputs + 2 * k + 1] = (float) ((point.y + 0.5) / description.inputHeight());
			}
		}
		return new Samples(inputs, targets, annotations.size(), inputSize, outputs);
	}

	private static AffineTransform inverse(final AffineTransform transform) {
		try {
			return transform.createInverse();
		}
		catch (final NoninvertibleTransformException e) {
			throw new IllegalStateException("A crop of zero size: " + transform, e);
		}
	}
}
