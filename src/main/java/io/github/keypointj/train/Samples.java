package io.github.keypointj.train;

/**
 * Network inputs with their targets, in memory: {@code count} inputs of {@code inputSize} values and,
 * for each, 2K targets (x, y per keypoint as fractions of the input's width and height).
 */
public record Samples(float[] inputs, float[] targets, int count, int inputSize, int outputs) {

	public float[] input(final int index) {
		final float[] input = new float[inputSize];
		System.arraycopy(inputs, index * inputSize, input, 0, inputSize);
		return input;
	}
}
