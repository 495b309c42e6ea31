package io.github.keypointj.demo;

import ai.djl.Device;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.ObjectStageDescription;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Puts the face object stage trained by {@link TrainFaceObjectStage} into the shipped face models, in
 * float16, with the threshold chosen on held-out photos (docs/RESULTS.md) and what it was chosen on.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.ShipObjectStage TRAINED.zip THRESHOLD "CHOSEN ON" TARGET.zip...}
 */
public final class ShipObjectStage {

	private ShipObjectStage() {}

	public static void main(final String[] args) throws Exception {
		final Path trained = Paths.get(args[0]);
		final double threshold = Double.parseDouble(args[1]);
		final Path compact = Files.createTempFile("object-stage", ".zip");
		try (KeypointModel model = ModelFile.load(trained, Device.cpu())) {
			ModelFile.saveCompact(model, compact);
		}
		final ModelDescription description = ModelFile.readDescription(compact);
		final ObjectStageDescription stage = description.objectStage();
		stage.setThreshold(threshold);
		stage.evaluation().put("threshold", args[2]);
		ModelFile.rewriteDescription(compact, description);
		for (int i = 3; i < args.length; i++) {
			ModelFile.copyObjectStage(compact, Paths.get(args[i]));
			System.out.println(args[i] + ": object stage of " + trained.getFileName() + ", threshold " + threshold);
		}
		Files.delete(compact);
	}
}
