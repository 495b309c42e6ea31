package io.github.keypointj.demo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ij.IJ;
import ij.io.FileSaver;
import io.github.keypointj.Progress;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.model.EpochRecord;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.KeypointTrainer;
import io.github.keypointj.train.SampleBuilder;
import io.github.keypointj.train.Samples;
import io.github.keypointj.train.TrainingSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Regenerates the demo in sample-images/: a small annotated "spots" stack and a NoseNet trained on
 * other spots, so that detection can be shown on a fresh clone without any licensed data.
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.MakeDemo sample-images}
 */
public final class MakeDemo {

	private MakeDemo() {}

	public static void main(final String[] args) {
		final Path folder = Paths.get(args.length > 0 ? args[0] : "sample-images");
		final Engine engine = KeypointEngine.get();
		engine.setRandomSeed(7);
		final SyntheticSpots.Data training = SyntheticSpots.generate(2000, 80, 60, 1);
		final SyntheticSpots.Data validation = SyntheticSpots.generate(60, 80, 60, 2);
		final SyntheticSpots.Data demo = SyntheticSpots.generate(12, 80, 60, 3);

		final ModelDescription description = ModelDescription.defaults("spots (demo)", Architecture.NOSE_NET, 2);
		final ModelDescription named = new ModelDescription(description.name(), Architecture.NOSE_NET,
			description.inputWidth(), description.inputHeight(), 1, description.normalization(), SyntheticSpots.NAMES,
			description.crop());
		final TrainingSettings settings = new TrainingSettings(20, 16, 1e-3f, 7);
		named.trainingSettings().put("data", "SyntheticSpots 2000 planes 80x60, seed 1");
		named.trainingSettings().put("epochs", String.valueOf(settings.epochs()));
		named.trainingSettings().put("batch_size", String.valueOf(settings.batchSize()));
		named.trainingSettings().put("learning_rate", String.valueOf(settings.learningRate()));
		try (KeypointModel model = KeypointModel.create(named, Device.cpu())) {
			final Samples trainingSamples = SampleBuilder.build(training.image(), training.truth(), named);
			final Samples validationSamples = SampleBuilder.build(validation.image(), validation.truth(), named);
			final Progress log = (status, done, total) -> {};
			for (final EpochRecord epoch : KeypointTrainer.train(model, trainingSamples, validationSamples, settings, log)) {
				IJ.log(String.format("epoch %d: train loss %.5f, validation loss %.5f, validation error %.2f px",
					epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(), epoch.validationErrorPx()));
			}
			ModelFile.save(model, folder.resolve("models").resolve("spots-nosenet.zip"));
		}
		try {
			Files.createDirectories(folder);
		}
		catch (final java.io.IOException e) {
			throw new IllegalStateException(e);
		}
		new FileSaver(demo.image()).saveAsTiff(folder.resolve("spots.tif").toString());
	}
}
