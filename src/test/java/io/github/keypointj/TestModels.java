package io.github.keypointj;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.nets.Architecture;

import java.nio.file.Path;
import java.util.Arrays;

/** Models for tests: small, and where needed with an output known in advance. */
public final class TestModels {

	private TestModels() {}

	/** A NoseNet-shaped description with a small input. */
	public static ModelDescription small(final int keypoints, final int channels, final CropRecipe crop) {
		return new ModelDescription("test model", Architecture.NOSE_NET, 48, 40, channels,
			channels == 3 ? Normalization.imageNet() : Normalization.centered(channels),
			AnnotatedStack.numberedNames(keypoints), crop);
	}

	/**
	 * A model that predicts {@code outputs} (x0, y0, x1, y1, ... as fractions of the input) whatever
	 * the image: its last layer's weights are zero and its bias is the answer. Detection with it has a
	 * known result, so every step that maps points back to the image can be checked exactly.
	 */
	public static Path constant(final Path file, final ModelDescription description, final float... outputs) {
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final Block last = model.block().getChildren().values().get(model.block().getChildren().size() - 1);
			for (final Parameter parameter : last.getParameters().values()) {
				final float[] values = new float[(int) parameter.getArray().size()];
				if (parameter.getType() == Parameter.Type.BIAS) System.arraycopy(outputs, 0, values, 0, outputs.length);
				else Arrays.fill(values, 0f);
				parameter.getArray().set(values);
			}
			ModelFile.save(model, file);
		}
		return file;
	}
}
