package io.github.keypointj.nets;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * DJL's 2-D max-pooling block ({@code Pool.maxPool2dBlock}), square, that also tells its kernel, stride and
 * padding, so that {@link ScriptedNetwork} can write it. A lambda block as DJL's, so saved models read
 * the same.
 */
final class MaxPool2d extends LambdaBlock {

	private final Shape kernel;
	private final Shape stride;
	private final Shape padding;

	MaxPool2d(final int kernel, final int stride, final int padding) {
		this(new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding));
	}

	private MaxPool2d(final Shape kernel, final Shape stride, final Shape padding) {
		super(inputs -> new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), kernel, stride, padding, false)), "maxPool2d");
		this.kernel = kernel;
		this.stride = stride;
		this.padding = padding;
	}

	Shape kernel() {
		return kernel;
	}

	Shape stride() {
		return stride;
	}

	Shape padding() {
		return padding;
	}
}
