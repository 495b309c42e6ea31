package io.github.keypointj.demo;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import io.github.keypointj.Progress;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.DetectionResult;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.DeepLabCutLabels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The guide's pictures of the video workflow, from {@link OpenFieldRecipe}'s made-up project and model: a
 * training frame with the labels the DeepLabCut import brought (zoomed on the animal), and a test frame with
 * what Detect found on the whole frame (the object's box and its points), and the keypoint CSV of the test
 * frames as Export › Keypoints as CSV writes it.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.OpenFieldPictures PROJECT MODEL OUTPUT_FOLDER}
 */
public final class OpenFieldPictures {

	private OpenFieldPictures() {}

	public static void main(final String[] args) throws Exception {
		final Path project = Paths.get(args[0]), model = Paths.get(args[1]), out = Files.createDirectories(Paths.get(
			args[2]));
		final ImagePlus train = DeepLabCutLabels.read(project.resolve("config.yaml"), true, Progress.NONE).image();
		train.setSlice(1);
		save(zoomed(train.flatten(), train), out.resolve("animal-import.png"));
		final ImagePlus test = DeepLabCutLabels.read(project.resolve("labeled-data/openfield_test/CollectedData_sim.csv"),
			true, Progress.NONE).image();
		test.setOverlay(null); // Detect's points only
		final Path csv = out.resolve("animal-keypoints.csv");
		Files.deleteIfExists(csv);
		final DetectionResult result = Detection.run(test, new DetectionRequest(model, true, Region.WHOLE_IMAGE,
			DeviceChoice.AUTO, io.github.keypointj.detect.KeypointDetector.DEFAULT_REFINE_ROUNDS, csv, true,
			DetectionRequest.DEFAULT_MIN_CONFIDENCE), Progress.NONE);
		System.out.println(result.objects().size() + " objects on " + test.getStackSize() + " frames");
		test.setSlice(1);
		save(test.flatten(), out.resolve("animal-detect.png"));
		System.exit(0); // ImageJ's flatten leaves an AWT thread behind
	}

	/** The flattened plane cut to 240x180 around the annotations' box, shown twice as large. */
	private static ImagePlus zoomed(final ImagePlus flat, final ImagePlus source) {
		final java.awt.Rectangle box = source.getOverlay().get(0).getBounds();
		final int x = Math.max(0, Math.min(flat.getWidth() - 240, box.x + box.width / 2 - 120));
		final int y = Math.max(0, Math.min(flat.getHeight() - 180, box.y + box.height / 2 - 90));
		final ImageProcessor crop = flat.getProcessor();
		crop.setRoi(x, y, 240, 180);
		final ImageProcessor cut = crop.crop();
		cut.setInterpolationMethod(ImageProcessor.NONE);
		return new ImagePlus("zoomed", cut.resize(480, 360));
	}

	private static void save(final ImagePlus image, final Path file) {
		new FileSaver(image).saveAsPng(file.toString());
		System.out.println("wrote " + file);
	}
}
