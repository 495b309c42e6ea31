package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.keypointj.engine.KeypointEngine;

import org.junit.jupiter.api.Test;

/** Adam against a double-precision Adam written out here, on a linear layer whose MSE gradient is known in closed form. */
class ResumableAdamTest {

	private static final int IN = 3, OUT = 2, N = 4, STEPS = 5;
	private static final float LR = 0.01f;
	private static final float[] X = { 0.5f, -1f, 2f, 1.5f, 0.2f, -0.3f, -0.7f, 0.9f, 0.1f, 1.2f, -1.1f, 0.4f };
	private static final float[] Y = { 1f, -2f, 0.5f, 0.3f, -1f, 2f, 0.7f, -0.4f };
	private static final float[] W0 = { 0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f };
	private static final float[] B0 = { 0.05f, -0.05f };

	@Test
	void stepsMatchAnIndependentAdam() {
		final double[][] expected = referenceAdam();
		final float[][] actual = train(true);
		for (int i = 0; i < W0.length; i++) assertEquals(expected[0][i], actual[0][i], 1e-5, "weight " + i);
		for (int i = 0; i < B0.length; i++) assertEquals(expected[1][i], actual[1][i], 1e-5, "bias " + i);
		// Moved well beyond the tolerance: the comparison means something.
		assertEquals(STEPS * LR, Math.abs(actual[0][0] - W0[0]), 0.5 * STEPS * LR);
	}

	@Test
	void theOneDeviceShortcutEqualsTheTrainersStep() {
		final float[][] shortcut = train(true);
		final float[][] trainer = train(false);
		assertArrayEquals(trainer[0], shortcut[0]);
		assertArrayEquals(trainer[1], shortcut[1]);
	}

	/** Weights and bias after {@value #STEPS} steps, updated by updateAll or by DJL's Trainer.step(). */
	private static float[][] train(final boolean updateAll) {
		KeypointEngine.get();
		final ResumableAdam adam = new ResumableAdam(LR);
		try (Model model = Model.newInstance("adam", KeypointEngine.ENGINE_NAME)) {
			model.setBlock(Linear.builder().setUnits(OUT).build());
			try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1)).optOptimizer(adam))) {
				trainer.initialize(new Shape(N, IN));
				model.getBlock().getParameters().get("weight").getArray().set(W0);
				model.getBlock().getParameters().get("bias").getArray().set(B0);
				for (int step = 0; step < STEPS; step++) {
					try (NDManager scope = trainer.getManager().newSubManager()) {
						final NDArray x = scope.create(X, new Shape(N, IN));
						final NDArray y = scope.create(Y, new Shape(N, OUT));
						try (GradientCollector collector = trainer.newGradientCollector()) {
							collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
						}
						adam.nextStep();
						if (updateAll) adam.updateAll(model.getBlock());
						else trainer.step();
					}
				}
				return new float[][] { model.getBlock().getParameters().get("weight").getArray().toFloatArray(),
					model.getBlock().getParameters().get("bias").getArray().toFloatArray() };
			}
		}
	}

	/** PyTorch's Adam (betas 0.9, 0.999, eps 1e-8) on loss = mean((W x + b - y)^2), in doubles. */
	private static double[][] referenceAdam() {
		final double[] w = new double[W0.length], b = new double[B0.length];
		for (int i = 0; i < w.length; i++) w[i] = W0[i];
		for (int i = 0; i < b.length; i++) b[i] = B0[i];
		final double[] mw = new double[w.length], vw = new double[w.length], mb = new double[b.length], vb = new double[b.length];
		for (int t = 1; t <= STEPS; t++) {
			final double[] gw = new double[w.length], gb = new double[b.length];
			for (int n = 0; n < N; n++) {
				for (int o = 0; o < OUT; o++) {
					double prediction = b[o];
					for (int i = 0; i < IN; i++) prediction += w[o * IN + i] * X[n * IN + i];
					final double d = 2 * (prediction - Y[n * OUT + o]) / (N * OUT);
					for (int i = 0; i < IN; i++) gw[o * IN + i] += d * X[n * IN + i];
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
