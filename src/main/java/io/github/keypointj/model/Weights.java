package io.github.keypointj.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/** A network's weights in the compact form of shipped model files, both ways. */
final class Weights {

	private Weights() {}

	/**
	 * Copies of the weights for compact storage, named as the block names them: convolution and linear
	 * kernels (nearly all the values) in float16, vectors (biases, BatchNorm's scales and running
	 * statistics) in float32. Rounding BatchNorm's statistics to float16 moved ResNet-18's keypoints by 2 px.
	 */
	static NDList halfPrecision(final Block block, final NDManager scope) {
		final NDList weights = new NDList();
		for (final Pair<String, Parameter> parameter : block.getParameters()) {
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
	 * {@link #halfPrecision}), into the float32 parameters of a freshly built {@code block}, initialised
	 * for {@code input}.
	 *
	 * @throws IllegalStateException naming the first stored weight that does not fit this network
	 */
	static void set(final Block block, final NDManager manager, final Shape input, final NDList stored) {
		block.initialize(manager, DataType.FLOAT32, input);
		final PairList<String, Parameter> parameters = block.getParameters();
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
}
