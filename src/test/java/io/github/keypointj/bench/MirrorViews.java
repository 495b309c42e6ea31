package io.github.keypointj.bench;

import ai.djl.Device;
import io.github.keypointj.Progress;
import io.github.keypointj.augment.SampleAugmenter;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.awt.geom.AffineTransform;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * A face model's mean horizontal error, in input pixels, on each face as cropped and on its mirror image
 * (swapped back), and with the crop moved by a few input pixels: whether a bias depends on the view or on
 * where the face falls on the network's stride grid (docs/RESULTS.md, issue 23). Not a test:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) \
 *   io.github.keypointj.bench.MirrorViews FOLDER_OF_PTS_FACES FACES MODEL.zip...
 * </pre>
 */
public final class MirrorViews {

	private MirrorViews() {}

	public static void main(final String[] args) {
		final AnnotatedStack stack = AnnotatedStack.read(LandmarkImporter.readPtsFolders(List.of(Paths.get(args[0])),
			new LandmarkImporter.Settings(2, 384, true), Progress.NONE).image(), null);
		final List<PlaneKeypoints> faces = stack.objects().subList(0, Math.min(stack.objects().size(),
			Integer.parseInt(args[1])));
		for (int m = 2; m < args.length; m++) {
			try (KeypointModel model = ModelFile.load(Paths.get(args[m]), Device.cpu())) {
				final StringBuilder line = new StringBuilder(args[m] + ": mean x error (input px), face " +
					String.format(Locale.ROOT, "%+.3f", error(model, stack, faces, 0, false)) + ", its mirror " +
					String.format(Locale.ROOT, "%+.3f", error(model, stack, faces, 0, true)) + "; the crop moved by");
				for (final double shift : new double[] { 0.5, 1, 2, 3, 8 }) {
					line.append(String.format(Locale.ROOT, " %.1f px: %+.3f", shift, error(model, stack, faces, shift, false)));
				}
				System.out.println(line);
			}
		}
		System.exit(0); // the engine's threads would keep the JVM
	}

	/** The mean of prediction minus truth in x over the faces' points, one view at a time. */
	private static double error(final KeypointModel model, final AnnotatedStack stack, final List<PlaneKeypoints> faces,
		final double shift, final boolean mirrored)
	{
		final ModelDescription d = model.description();
		final int width = d.inputWidth(), height = d.inputHeight();
		final MirrorOrder mirror = d.mirror();
		final float[] input = new float[model.inputSize()];
		double sum = 0;
		int count = 0;
		for (final PlaneKeypoints face : faces) {
			final AffineTransform toImage = CropBox.forObject(face.region(), d.crop()).inputToImage(width, height);
			toImage.translate(shift, 0); // input pixel x shows the crop's x + shift
			if (mirrored) {
				toImage.translate(width - 1, 0);
				toImage.scale(-1, 1);
			}
			InputSampler.sample(PlaneReader.read(stack.image(), face.plane().stackIndex(), d.channels()),
				stack.image().getWidth(), stack.image().getHeight(), toImage, width, height, input, 0);
			d.normalization().normalize(input, 0, width * height);
			final float[] points = model.infer(input, 1).points()[0];
			final float[] truth = new SampleAugmenter(d, Augmentation.NONE).targets(face);
			for (int k = 0; k < d.keypointCount(); k++) {
				final double x = mirrored ? 1 - points[2 * mirror.mirrorOf(k)] : points[2 * k];
				sum += x * width + shift - truth[2 * k] * width;
				count++;
			}
		}
		return sum / count;
	}
}
