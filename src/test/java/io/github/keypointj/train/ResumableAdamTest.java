package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.keypointj.engine.KeypointEngine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Adam against a double-precision Adam written out here, on a linear layer whose MSE gradient is known
 * in closed form; the fused CPU update against DJL's native one.
 */
class ResumableAdamTest {

	private static final int IN = 3, OUT = 2, N = 4, STEPS = 5;
	private static final float LR = 0.01f;
	private static final float[] X = { 0.5f, -1f, 2f, 1.5f, 0.2f, -0.3f, -0.7f, 0.9f, 0.1f, 1.2f, -1.1f, 0.4f };
	private static final float[] Y = { 1f, -2f, 0.5f, 0.3f, -1f, 2f, 0.7f, -0.4f };
	private static final float[] W0 = { 0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f };
	private static final float[] B0 = { 0.05f, -0.05f };

	@Test
	void theFusedUpdateMatchesAnIndependentAdam() {
		assertMatchesReference(true);
	}

	@Test
	void theTrainersStepMatchesAnIndependentAdam() {
		assertMatchesReference(false);
	}

	private static void assertMatchesReference(final boolean updateAll) {
		final double[][] expected = referenceAdam(IN, OUT, X, Y, W0, B0);
		final float[][] actual = train(updateAll, IN, OUT, X, Y, W0, B0);
		for (int i = 0; i < W0.length; i++) assertEquals(expected[0][i], actual[0][i], 1e-5, "weight " + i);
		for (int i = 0; i < B0.length; i++) assertEquals(expected[1][i], actual[1][i], 1e-5, "bias " + i);
		// Moved well beyond the tolerance: the comparison means something.
		assertEquals(STEPS * LR, Math.abs(actual[0][0] - W0[0]), 0.5 * STEPS * LR);
	}

	/** A layer larger than one pass of the fused update, so that its chunks are covered too. */
	@Test
	void theFusedUpdateEqualsDjlsNativeUpdateOnALargeLayer() {
		final int in = 70, out = 300;
		assertTrue(in * out > FusedAdam.CHUNK);
		final Random random = new Random(3);
		final float[] x = randoms(random, N * in), y = randoms(random, N * out), w = randoms(random, out * in),
			b = randoms(random, out);
		final float[][] fused = train(true, in, out, x, y, w, b);
		final float[][] trainer = train(false, in, out, x, y, w, b);
		final double[][] expected = referenceAdam(in, out, x, y, w, b);
		for (int part = 0; part < 2; part++) {
			for (int i = 0; i < fused[part].length; i++) {
				assertEquals(expected[part][i], trainer[part][i], 1e-5, "native: " + (part == 0 ? "weight " : "bias ") + i);
				assertEquals(expected[part][i], fused[part][i], 1e-5, "fused: " + (part == 0 ? "weight " : "bias ") + i);
			}
		}
		assertEquals(STEPS * LR, Math.abs(fused[0][fused[0].length - 1] - w[w.length - 1]), 0.5 * STEPS * LR);
	}

	/** A strided view's direct buffer is a copy: the fused update must not write to it. */
	@Test
	void theFusedUpdateDeclinesArraysItCannotWriteInPlace() {
		KeypointEngine.get();
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.ENGINE_NAME)) {
			final NDArray weight = manager.create(W0, new Shape(OUT, IN));
			final NDArray gradient = weight.onesLike();
			final FusedAdam fused = new FusedAdam();
			assertTrue(fused.applies("w", weight, gradient, weight.zerosLike(), weight.zerosLike()));
			final NDArray transposed = weight.transpose();
			assertFalse(fused.applies("t", transposed, gradient.transpose(), transposed.zerosLike(),
				transposed.zerosLike()));
			assertArrayEquals(W0, weight.toFloatArray(), "the probe leaves the weights as they were");
		}
	}

	private static float[] randoms(final Random random, final int n) {
		final float[] values = new float[n];
		for (int i = 0; i < n; i++) values[i] = (float) random.nextGaussian() * 0.1f;
		return values;
	}

	/**
	 * DJL's optimisers detach their state from every manager, and nothing freed it: each ResNet-18
	 * training left 90 MB of moments in native memory (issue 14). Here they go with the model.
	 */
	@Test
	void theMomentsAreFreedWithTheModel() {
		for (final boolean updateAll : new boolean[] { true, false }) {
			final ResumableAdam adam = new ResumableAdam(LR);
			train(adam, updateAll, IN, OUT, X, Y, W0, B0, model -> assertTrue(adam.moments().stream().noneMatch(
				NDArray::isReleased), "alive while the model is"));
			assertEquals(4, adam.moments().size(), "mean and variance of the weight and the bias");
			for (final NDArray moment : adam.moments()) assertTrue(moment.isReleased(), (updateAll ? "updateAll" :
				"Trainer.step") + ": a moment outlived its model");
		}
	}

	/** Moments restored from a checkpoint go with the manager they were read into (the model's). */
	@Test
	void restoredMomentsAreFreedWithTheirManager() throws IOException {
		final ResumableAdam trained = new ResumableAdam(LR);
		final List<String> ids = new ArrayList<>();
		final ByteArrayOutputStream state = new ByteArrayOutputStream();
		train(trained, true, IN, OUT, X, Y, W0, B0, model -> {
			for (final Pair<String, Parameter> parameter : model.getBlock().getParameters()) ids.add(parameter.getValue().getId());
			try (DataOutputStream out = new DataOutputStream(state)) {
				trained.save(ids, out);
			}
			catch (final IOException e) {
				throw new UncheckedIOException(e);
			}
		});
		final ResumableAdam restored = new ResumableAdam(LR);
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.ENGINE_NAME)) {
			restored.restore(ids, manager, new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
			assertEquals(4, restored.moments().size());
			assertTrue(restored.moments().stream().noneMatch(NDArray::isReleased));
		}
		for (final NDArray moment : restored.moments()) assertTrue(moment.isReleased(), "a restored moment outlived its manager");
	}

	/** Weights and bias after {@value #STEPS} steps, updated by updateAll or by DJL's Trainer.step(). */
	private static float[][] train(final boolean updateAll, final int in, final int out, final float[] x0,
		final float[] y0, final float[] w0, final float[] b0)
	{
		return train(new ResumableAdam(LR), updateAll, in, out, x0, y0, w0, b0, model -> {});
	}

	/** {@link #train} with {@code adam}; {@code beforeClose} sees the trained model before it closes. */
	private static float[][] train(final ResumableAdam adam, final boolean updateAll, final int in, final int out,
		final float[] x0, final float[] y0, final float[] w0, final float[] b0, final Consumer<Model> beforeClose)
	{
		KeypointEngine.get();
		try (Model model = Model.newInstance("adam", KeypointEngine.ENGINE_NAME)) {
			model.setBlock(Linear.builder().setUnits(out).build());
			try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1)).optOptimizer(adam))) {
				trainer.initialize(new Shape(N, in));
				model.getBlock().getParameters().get("weight").getArray().set(w0);
				model.getBlock().getParameters().get("bias").getArray().set(b0);
				for (int step = 0; step < STEPS; step++) {
					try (NDManager scope = trainer.getManager().newSubManager()) {
						final NDArray x = scope.create(x0, new Shape(N, in));
						final NDArray y = scope.create(y0, new Shape(N, out));
						try (GradientCollector collector = trainer.newGradientCollector()) {
							collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
						}
						adam.nextStep();
						if (updateAll) adam.updateAll(model.getBlock());
						else trainer.step();
					}
				}
				beforeClose.accept(model);
				return new float[][] { model.getBlock().getParameters().get("weight").getArray().toFloatArray(),
					model.getBlock().getParameters().get("bias").getArray().toFloatArray() };
			}
		}
	}

	/** PyTorch's Adam (betas 0.9, 0.999, eps 1e-8) on loss = mean((W x + b - y)^2), in doubles. */
	private static double[][] referenceAdam(final int in, final int out, final float[] x, final float[] y,
		final float[] w0, final float[] b0)
	{
		final double[] w = new double[w0.length], b = new double[b0.length];
		for (int i = 0; i < w.length; i++) w[i] = w0[i];
		for (int i = 0; i < b.length; i++) b[i] = b0[i];
		final double[] mw = new double[w.length], vw = new double[w.length], mb = new double[b.length], vb = new double[b.length];
		for (int t = 1; t <= STEPS; t++) {
			final double[] gw = new double[w.length], gb = new double[b.length];
			for (int n = 0; n < N; n++) {
				for (int o = 0; o < out; o++) {
					double prediction = b[o];
					for (int i = 0; i < in; i++) prediction += w[o * in + i] * x[n * in + i];
					final double d = 2 * (prediction - y[n * out + o]) / (N * out);
					for (int i = 0; i < in; i++) gw[o * in + i] += d * x[n * in + i];
					gb[o] += d;
				}
			}
			adam(w, gw, mw, vw, t);
			adam(b, gb, mb, vb, t);
		}
		return new double[][] { w, b };
	}

	private static void adam(final double[] p, final double[] g, final double[] m, final double[] v, final int t) {
		for (int i = 0; i < p.length; i++) {
			m[i] = 0.9 * m[i] + 0.1 * g[i];
			v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
			final double mHat = m[i] / (1 - Math.pow(0.9, t)), vHat = v[i] / (1 - Math.pow(0.999, t));
			p[i] -= LR * mHat / (Math.sqrt(vHat) + 1e-8);
		}
	}
}
