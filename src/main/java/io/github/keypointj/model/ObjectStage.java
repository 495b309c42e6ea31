package io.github.keypointj.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.nets.NetworkForward;
import io.github.keypointj.nets.Networks;
import io.github.keypointj.nets.TorchInitialization;

/**
 * The object stage's network, in memory: it looks at a whole plane, fitted into a square input, and
 * gives per cell of a quarter of the input the logit of an object centre there and the log of the
 * object's box size ({@code objects.ObjectMaps} reads them). It travels in the keypoint model's file.
 */
public final class ObjectStage implements AutoCloseable {

	static final float CENTRE_PRIOR_LOGIT = -2.19f;

	private final ObjectStageDescription description;
	private final int channels;
	private final Model model;
	/** The network's inference pass. */
	private final NetworkForward forward;

	private ObjectStage(final ObjectStageDescription description, final int channels, final Model model) {
		this.description = description;
		this.channels = channels;
		this.model = model;
		this.forward = new NetworkForward(model.getBlock(), model.getNDManager(), "The object stage");
	}

	/** A new stage with freshly initialised weights, for images of {@code channels}. */
	public static ObjectStage create(final ObjectStageDescription description, final int channels, final Device device) {
		final ObjectStage created = allocate(description, channels, device);
		created.block().initialize(created.model.getNDManager(), DataType.FLOAT32, created.inputShape(1));
		try (NDManager scratch = created.model.getNDManager().newSubManager()) {
			TorchInitialization.torchvisionResNet(created.block(), scratch);
		}
		// The centre logits start at a prior of 0.1 (CenterNet's -2.19): the focal loss is then stable from the first step.
		final PairList<String, Parameter> parameters = created.block().getParameters();
		final NDArray bias = parameters.valueAt(parameters.size() - 1).getArray();
		final float[] values = new float[(int) bias.size()];
		values[0] = CENTRE_PRIOR_LOGIT;
		bias.set(values);
		return created;
	}

	/** A stage whose block is built but not initialised: its weights are about to be loaded. */
	static ObjectStage allocate(final ObjectStageDescription description, final int channels, final Device device) {
		KeypointEngine.get();
		if (device.equals(Device.cpu())) {
			KeypointEngine.verifyConvolutions(Architecture.convolutionShapes("object stage", Networks.objectNet(),
				new Shape(1, channels, description.inputSide(), description.inputSide())), Architecture.checkSteps());
		}
		final Model model = Model.newInstance("object stage", device, KeypointEngine.ENGINE_NAME);
		model.setBlock(Networks.objectNet());
		return new ObjectStage(description, channels, model);
	}

	public ObjectStageDescription description() {
		return description;
	}

	public Block block() {
		return model.getBlock();
	}

	/** The DJL model, for training. */
	public Model djlModel() {
		return model;
	}

	public int channels() {
		return channels;
	}

	/** The input shape (N, C, side, side) for a batch of {@code batch}. */
	public Shape inputShape(final int batch) {
		return new Shape(batch, channels, description.inputSide(), description.inputSide());
	}

	public int inputSize() {
		return channels * description.inputSide() * description.inputSide();
	}

	/** The side of the output maps: a quarter of the input's. */
	public int mapSide() {
		return description.inputSide() / 4;
	}

	/**
	 * Runs the network in inference mode on {@code batch} normalised inputs, one after another.
	 *
	 * @return per input, {@link Networks#OBJECT_MAPS} maps of {@link #mapSide()} squared values, one after another
	 */
	public float[] infer(final float[] inputs, final int batch) {
		KeypointEngine.inferenceMode();
		try (NDManager scope = model.getNDManager().newSubManager()) {
			final NDArray out = forward.forward(scope, inputs, inputShape(batch)).singletonOrThrow();
			return out.get(":, 0:" + Networks.OBJECT_MAPS).toFloatArray();
		}
	}

	/** Checks that the weights give maps of the expected shape (DJL loads parameters of any shape). */
	void verifyWeights() {
		KeypointEngine.inferenceMode();
		try (NDManager scope = model.getNDManager().newSubManager()) {
			final Shape out = forward.forward(scope, new float[inputSize()], inputShape(1)).singletonOrThrow().getShape();
			if (out.get(2) != mapSide() || out.get(3) != mapSide() || out.get(1) < Networks.OBJECT_MAPS) {
				throw new IllegalStateException("the object stage gives maps of " + out + ", expected " + mapSide() + "x" +
					mapSide());
			}
		}
	}

	/**
	 * Tells the stage that its network's weights were changed in place other than by training (a script
	 * setting a bias, say): inference keeps copies made from them, which it makes again. Training and
	 * loading need no call.
	 */
	public void weightsChanged() {
		forward.weightsChanged();
	}

	@Override
	public void close() {
		forward.close();
		model.close();
	}
}
