package io.github.keypointj.detect;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.Images;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.io.KaggleCsv;
import io.github.keypointj.io.OutputFile;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.nio.file.Path;
import java.util.List;

/**
 * Export>Kaggle Predictions without any user interface: a model's keypoints in each box of a test stack
 * imported from a landmark XML, written as the course's submission ({@link KaggleCsv}). Scripts may call
 * it directly.
 */
public final class KaggleExport {

	/**
	 * @param model the model file
	 * @param csvFile the submission to write
	 * @param overwrite whether {@code csvFile} may replace an existing file
	 * @param device where the network runs
	 */
	public record Request(Path model, Path csvFile, boolean overwrite, DeviceChoice device) {}

	/**
	 * @param objects how many boxes got keypoints
	 * @param canceled whether the user stopped it (then nothing was written)
	 */
	public record Result(int objects, boolean canceled) {}

	private KaggleExport() {}

	/**
	 * Predicts on every box of every plane of {@code stack} and writes the submission. Everything is
	 * checked before the model runs; nothing is written when it fails or is cancelled.
	 *
	 * @throws KeypointException with a message for the user when the input is wrong
	 */
	public static Result run(final ImagePlus stack, final Request request, final Progress progress) {
		Images.requireOpen(stack);
		if (request.model() == null) throw new KeypointException("model: no model file given.");
		if (request.csvFile() == null) throw new KeypointException("csv_file: no file given.");
		OutputFile.requireWritable(request.csvFile(), request.overwrite(), "csv_file");
		KaggleCsv.requireImported(stack);
		final List<DetectedObject> found;
		try (KeypointModel model = ModelFile.load(request.model(), KeypointEngine.devices(request.device())[0])) {
			found = new KeypointDetector(model).detect(stack, PlanePosition.toProcess(stack, true), Region.BOXES_IN_OVERLAY,
				progress);
		}
		if (progress.isCanceled()) return new Result(0, true);
		KaggleCsv.write(stack, DetectedObject.points(found), request.csvFile());
		return new Result(found.size(), false);
	}
}
