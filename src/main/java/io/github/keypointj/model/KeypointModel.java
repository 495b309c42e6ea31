package io.github.keypointj.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.KeypointEngine;

/**
 * A keypoint network with its description: what the model file holds, in memory.
 * <p>
 * {@link #predict} takes normalised network inputs and returns the raw outputs: for each keypoint its
 * x and y as fractions of the input's width and height.
 */
public final class KeypointModel implements AutoCloseable {

	private final ModelDescription description;
	private final Model model;

	private KeypointModel(final ModelDescription description, final Model model) {
		this.description = description;
		this.model = model;
	}

	/** A new model with freshly initialised weights on {@code device}. */
	public static KeypointModel create(final ModelDescription description, final Device device) {
		final String problem = description.problem();
		if (problem != null) throw new KeypointException("Cannot create the model '" + description.name() + "': " + problem + ".");
		final KeypointModel created = allocate(description, device);
		created.block().initialize(created.model.getNDManager(), DataType.FLOAT32, created.inputShape(1));
		try (NDManager scratch = created.model.getNDManager().newSubManager()) {
			description.architecture().initialize(created.block(), scratch);
		}
		return created;
	}

	/** A model whose block is built but not yet initialised: its weights are about to be loaded. */
	static KeypointModel allocate(final ModelDescription description, final Device device) {
		KeypointEngine.get();
		if (device.equals(Device.cpu())) {
			description.architecture().verifyConvolutions(description.channels(), description.inputHeight(),
				description.inputWidth());
		}
		final Model model = Model.newInstance(description.name(), device, KeypointEngine.ENGINE_NAME);
		model.setBlock(description.architecture().build(description.keypointCount()));
		return new KeypointModel(description, model);
	}

	public ModelDescription description() {
		return description;
	}

	public Block block() {
		return model.getBlock();
	}

	/** The DJL model, for training. */
	public Model djlModel() {
		return model;
	}

	public Device device() {
		return model.getNDManager().getDevice();
	}

	/** The network's input shape (N, C, H, W) for a batch of {@code batch}. */
	public Shape inputShape(final int batch) {
		return new Shape(batch, description.channels(), description.inputHeight(), description.inputWidth());
	}

	/** Number of values in one network input (C x H x W). */
	public int inputSize() {
		return description.channels() * description.inputHeight() * description.inputWidth();
	}

	/**
	 * Runs the network in inference mode.
	 *
	 * @param inputs {@code batch} normalised inputs, each C x H x W, one after another
	 * @return per input, 2K values: x0, y0, x1, y1, ... as fractions of the input's width and height
	 */
	public float[][] predict(final float[] inputs, final int batch) {
		KeypointEngine.inferenceMode();
		final int outputs = 2 * description.keypointCount();
		final float[][] result = new float[batch][outputs];
		try (NDManager scope = model.getNDManager().newSubManager()) {
			final NDArray x = scope.create(inputs, inputShape(batch));
			final NDList out = block().forward(new ParameterStore(scope, false), new NDList(x), false);
			final float[] flat = out.singletonOrThrow().toFloatArray();
			for (int b = 0; b < batch; b++) System.arraycopy(flat, b * outputs, result[b], 0, outputs);
		}
		return result;
	}

	/**
	 * Copies of the weights for compact storage, named as the block names them: convolution and linear
	 * kernels (nearly all the values) in float16, vectors (biases, BatchNorm's scales and running
	 * statistics) in float32. Rounding BatchNorm's statistics to float16 moved ResNet-18's keypoints by 2 px.
	 */
	NDList halfPrecisionWeights(final NDManager scope) {
		final NDList weights = new NDList();
		for (final Pair<String, Parameter> parameter : block().getParameters()) {
			final NDArray array = parameter.getValue().getArray();
			final NDArray half = array.toType(array.getShape().dimension() >= 2 ? DataType.FLOAT16 : DataType.FLOAT32, true);
			half.attach(scope);
			half.setName(parameter.getKey());
			weights.add(half);
		}
		return weights;
	}

	/**
	 * Sets every weight from {@code stored} (any floating-point type, e.g. the float16 of
	 * {@link #halfPrecisionWeights}), into the float32 parameters of a freshly allocated model.
	 *
	 * @throws IllegalStateException naming the first stored weight that does not fit this network
	 */
	void setWeights(final NDList stored) {
		block().initialize(model.getNDManager(), DataType.FLOAT32, inputShape(1));
		final PairList<String, Parameter> parameters = block().getParameters();
		if (stored.size() != parameters.size()) {
			throw new IllegalStateException("the file holds " + stored.size() + " weight arrays, the network has " +
				parameters.size());
		}
		for (int i = 0; i < stored.size(); i++) {
			final NDArray array = parameters.valueAt(i).getArray();
			final NDArray value = stored.get(i);
			if (!parameters.keyAt(i).equals(value.getName()) || !array.getShape().equals(value.getShape())) {
				throw new IllegalStateException("weight " + i + " is " + value.getName() + " " + value.getShape() +
					", the network expects " + parameters.keyAt(i) + " " + array.getShape());
			}
			array.set(value.toType(DataType.FLOAT32, false).toFloatArray());
		}
	}

	/**
	 * Checks that the weights fit the description: DJL loads parameters of any shape, so a network whose
	 * file has, say, another number of keypoints would otherwise load and predict garbage.
	 *
	 * @throws IllegalStateException when a forward pass fails or gives the wrong shape
	 */
	void verifyWeights() {
		KeypointEngine.inferenceMode();
		try (NDManager scope = model.getNDManager().newSubManager()) {
			final NDList out = block().forward(new ParameterStore(scope, false), new NDList(scope.zeros(inputShape(1))),
				false);
			final Shape expected = new Shape(1, 2L * description.keypointCount());
			if (!expected.equals(out.singletonOrThrow().getShape())) {
				throw new IllegalStateException("the network gives " + out.singletonOrThrow().getShape() +
					" values, the description expects " + expected);
			}
		}
	}

	@Override
	public void close() {
		model.close();
	}
}
