package io.github.keypointj.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * PyTorch's Adam step for one parameter on the CPU, in one pass over the weight, its gradient and
 * both moments, read and written in place through the tensors' own memory. DJL's native update runs
 * eleven tensor operations with four temporaries per parameter; for a small network that was a fifth
 * of the whole training step.
 */
final class FusedAdam {

	/** Elements per pass: four arrays of this many floats stay in the core's L2 cache. */
	static final int CHUNK = 1 << 14;

	private final float[] weights = new float[CHUNK], gradients = new float[CHUNK], means = new float[CHUNK],
		variances = new float[CHUNK];
	/**
	 * Per parameter id, the weight and moment arrays last seen to be written in place (identity, not
	 * content: PyTorch arrays compare by content and all hash to 0).
	 */
	private final Map<String, NDArray[]> checked = new HashMap<>();

	/**
	 * Whether this update can run on a parameter: float32 PyTorch arrays on the CPU whose memory can be
	 * written in place (checked once per array).
	 */
	boolean applies(final String id, final NDArray weight, final NDArray gradient, final NDArray mean,
		final NDArray variance)
	{
		final NDArray[] written = { weight, mean, variance };
		final NDArray[] seen = checked.get(id);
		if (seen != null && seen[0] == weight && seen[1] == mean && seen[2] == variance) return true;
		for (final NDArray array : new NDArray[] { weight, gradient, mean, variance }) {
			if (!(array instanceof PtNDArray) || array.getDataType() != DataType.FLOAT32 ||
				!array.getDevice().equals(Device.cpu()) || array.size() != weight.size())
			{
				return false;
			}
		}
		for (final NDArray array : written) {
			if (!writesInPlace(array)) return false;
		}
		checked.put(id, written);
		return true;
	}

	/**
	 * One Adam step (PyTorch's formula) on {@code weight} from {@code gradient}, updating the moments;
	 * the gradient is then zeroed for the next backward pass.
	 *
	 * @param step the optimiser step, from 1
	 */
	void update(final NDArray weight, final NDArray gradient, final NDArray mean, final NDArray variance,
		final float learningRate, final int step, final float beta1, final float beta2, final float epsilon)
	{
		final FloatBuffer w = floats(weight), g = floats(gradient), m = floats(mean), v = floats(variance);
		final float stepSize = (float) (learningRate / (1 - Math.pow(beta1, step)));
		final float biasCorrection2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
		final float keep1 = 1 - beta1, keep2 = 1 - beta2;
		final int size = Math.toIntExact(weight.size());
		for (int start = 0; start < size; start += CHUNK) {
			final int n = Math.min(CHUNK, size - start);
			w.get(start, weights, 0, n);
			g.get(start, gradients, 0, n);
			m.get(start, means, 0, n);
			v.get(start, variances, 0, n);
			for (int i = 0; i < n; i++) {
				final float grad = gradients[i];
				final float mi = beta1 * means[i] + keep1 * grad;
				final float vi = beta2 * variances[i] + keep2 * grad * grad;
				means[i] = mi;
				variances[i] = vi;
				weights[i] -= stepSize * mi / ((float) Math.sqrt(vi) / biasCorrection2Sqrt + epsilon);
			}
			w.put(start, weights, 0, n);
			m.put(start, means, 0, n);
			v.put(start, variances, 0, n);
		}
		JniUtils.zeroGrad((PtNDArray) weight);
	}

	private static FloatBuffer floats(final NDArray array) {
		return array.toByteBuffer(true).asFloatBuffer();
	}

	/**
	 * Whether the direct buffer of {@code array} is its memory: a non-contiguous tensor would give a
	 * contiguous copy, and writes to it would be lost.
	 */
	private static boolean writesInPlace(final NDArray array) {
		if (array.size() == 0) return true;
		final FloatBuffer buffer = floats(array);
		final float kept = buffer.get(0);
		final float probe = kept == 1f ? 2f : 1f;
		buffer.put(0, probe);
		final boolean shared = array.getFloat(new long[array.getShape().dimension()]) == probe;
		buffer.put(0, kept);
		return shared;
	}
}
