package io.github.keypointj.nets;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.keypointj.engine.ConvolutionPath;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.InferencePath;
import io.github.keypointj.engine.KeypointEngine;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A network's inference pass, gradients off: on the CPU as one script ({@link ScriptedNetwork}) where the
 * network has one, else layer by layer. The script is made on the first call and checked against the
 * layer-by-layer pass on a pseudo-random input of that call's shape; where they disagree the network runs layer by layer from then
 * on, and the Log says so. After any training step the script is made anew (it holds the weights as they were);
 * weights changed in place otherwise need {@link #weightsChanged()}.
 * <p>
 * Layer by layer is also what runs with {@code -D}{@value InferencePath#PROPERTY}{@code =layers}, on a GPU, with
 * oneDNN off ({@code native} convolutions), or with one inference layout forced: those measure or avoid
 * oneDNN layer by layer.
 */
public final class NetworkForward implements AutoCloseable {

	/** How far the script's outputs may lie from the layers', relative to the largest output (or 1). */
	static final double TOLERANCE = 1e-3;

	private final Block network;
	private final NDManager weights;
	private final String name;
	/** Writes the network's script: {@link ScriptedNetwork#of}, or a stand-in in tests. */
	private final BiFunction<Block, NDManager, ScriptedNetwork> scriptWriter;
	private ScriptedNetwork script;
	/** {@link Networks#trainingPasses()} when the script was made. */
	private long scriptPasses = -1;
	/** The network has no script, or its script disagreed with the layers or failed: layer by layer for good. */
	private boolean layersOnly;

	/**
	 * @param network an initialised network
	 * @param weights the manager its weights live in
	 * @param name what the Log calls it, should its script disagree
	 */
	public NetworkForward(final Block network, final NDManager weights, final String name) {
		this(network, weights, name, ScriptedNetwork::of);
	}

	NetworkForward(final Block network, final NDManager weights, final String name,
		final BiFunction<Block, NDManager, ScriptedNetwork> scriptWriter)
	{
		this.network = network;
		this.weights = weights;
		this.name = name;
		this.scriptWriter = scriptWriter;
	}

	/**
	 * Runs the network on the first {@code shape.size()} of {@code values} (a batch of inputs, one after
	 * another); the outputs are attached to {@code scope}. A sample with a non-finite value gets NaN outputs,
	 * for callers to name it, and changes no other sample's: it runs as zeros, and NaN is added to its
	 * outputs (in the script oneDNN's ReLU and max-pooling would drop the NaN that PyTorch's own kernels
	 * pass on).
	 */
	public NDList forward(final NDManager scope, final float[] values, final Shape shape) {
		final int size = Math.toIntExact(shape.size());
		final int samples = Math.toIntExact(shape.get(0));
		final List<Integer> nonFinite = nonFiniteSamples(values, samples, size);
		final int perSample = size / samples;
		final float[] finite = nonFinite.isEmpty() ? values : Arrays.copyOf(values, size);
		for (final int sample : nonFinite) Arrays.fill(finite, sample * perSample, (sample + 1) * perSample, 0);
		final NDArray input = scope.create(FloatBuffer.wrap(finite, 0, size), shape);
		final ScriptedNetwork current = script(scope, input);
		final NDList outputs = current != null ? current.forward(input) : layers(scope, input);
		if (nonFinite.isEmpty()) return outputs;
		// The script's outputs are inference tensors, which PyTorch does not let change in place: add NaN or 0 per sample.
		final float[] nanOrZero = new float[samples];
		for (final int sample : nonFinite) nanOrZero[sample] = Float.NaN;
		final NDList marked = new NDList();
		for (final NDArray output : outputs) {
			final long[] oneValuePerSample = new long[output.getShape().dimension()];
			Arrays.fill(oneValuePerSample, 1);
			oneValuePerSample[0] = samples;
			marked.add(output.add(scope.create(nanOrZero, new Shape(oneValuePerSample))));
		}
		return marked;
	}

	/** The samples of the batch with a NaN or infinite value. */
	private static List<Integer> nonFiniteSamples(final float[] values, final int samples, final int size) {
		final List<Integer> found = new ArrayList<>();
		final int perSample = size / samples;
		for (int sample = 0; sample < samples; sample++) {
			for (int i = sample * perSample; i < (sample + 1) * perSample; i++) {
				if (!Float.isFinite(values[i])) {
					found.add(sample);
					break;
				}
			}
		}
		return found;
	}

	private NDList layers(final NDManager scope, final NDArray input) {
		return network.forward(new ParameterStore(scope, false), new NDList(input), false);
	}

	/** The script to run this call with, made (and checked, {@link #probe}) if needed; null for layer by layer. */
	private synchronized ScriptedNetwork script(final NDManager scope, final NDArray input) {
		if (layersOnly || InferencePath.active() != InferencePath.SCRIPT || !input.getDevice().equals(Device.cpu()) ||
			Convolutions.active() == ConvolutionPath.NATIVE || Convolutions.forcedInferenceLayout() != null ||
			!Networks.foldsBatchNorm())
		{
			return null;
		}
		final long passes = Networks.trainingPasses();
		if (script != null && scriptPasses == passes) return script;
		closeScript();
		ScriptedNetwork made = null;
		String problem;
		try {
			made = scriptWriter.apply(network, weights);
			if (made == null) {
				layersOnly = true;
				return null;
			}
			final NDArray probe = probe(scope, input.getShape());
			final String disagreement = disagreement(made.forward(probe), layers(scope, probe));
			problem = disagreement == null ? null : "as one script its output differs from the layers' (" + disagreement +
				"; docs/ENGINE.md)";
		}
		catch (final RuntimeException e) {
			// a libtorch that cannot load or run the script: the layers still can
			problem = "its script failed: " + e.getMessage();
		}
		if (problem != null) {
			if (made != null) made.close();
			layersOnly = true;
			KeypointEngine.log(name + " runs layer by layer: " + problem + ".");
			return null;
		}
		script = made;
		scriptPasses = passes;
		return script;
	}

	/**
	 * The input the script is checked on: values in [0, 1) of the call's shape, the same in every run. Not the
	 * call's own: a model's first call is its check at loading, on zeros, which would leave the first layer's
	 * weights out of the comparison.
	 */
	private static NDArray probe(final NDManager scope, final Shape shape) {
		final java.util.Random random = new java.util.Random(shape.size());
		final float[] values = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < values.length; i++) values[i] = random.nextFloat();
		return scope.create(values, shape);
	}

	/** Where the script's outputs differ from the layers' by more than {@link #TOLERANCE}, or null. */
	static String disagreement(final NDList scripted, final NDList layers) {
		if (scripted.size() != layers.size()) return scripted.size() + " outputs instead of " + layers.size();
		for (int i = 0; i < layers.size(); i++) {
			final NDArray expected = layers.get(i);
			final NDArray actual = scripted.get(i);
			if (!expected.getShape().equals(actual.getShape())) {
				return "output " + i + " shaped " + actual.getShape() + " instead of " + expected.getShape();
			}
			final float[] a = actual.toFloatArray();
			final float[] e = expected.toFloatArray();
			double largest = 1;
			for (final float value : e) largest = Math.max(largest, Math.abs(value));
			for (int j = 0; j < e.length; j++) {
				if (!(Math.abs(a[j] - e[j]) <= TOLERANCE * largest)) {
					return "output " + i + ", value " + j + ": " + a[j] + " instead of " + e[j];
				}
			}
		}
		return null;
	}

	/**
	 * Forgets what inference keeps made from the weights (the script, the convolutions' folds): for code
	 * that changes the network's weights in place other than by training, which is noticed by itself.
	 */
	public synchronized void weightsChanged() {
		closeScript();
		Networks.forgetFolds(network);
	}

	/** Whether the last call ran as a script: for tests. */
	synchronized boolean ranAsScript() {
		return script != null && scriptPasses == Networks.trainingPasses();
	}

	private void closeScript() {
		if (script != null) script.close();
		script = null;
	}

	@Override
	public synchronized void close() {
		closeScript();
	}
}
