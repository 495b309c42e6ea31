package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.engine.ConvolutionCheck;

import java.util.List;

import org.junit.jupiter.api.Test;

class NonFiniteLossTest {

	private static final ConvolutionCheck.Result RIGHT = new ConvolutionCheck.Result(3, 0, List.of(), 0.1);
	private static final String KEPT = "out.zip still holds the model of epoch 2.";

	private static String explain(final double previous, final double lowest, final boolean inputsFinite,
		final double largestWeight, final ConvolutionCheck.Result check)
	{
		return NonFiniteLoss.explain(new NonFiniteLoss.Facts(Double.NaN, 3, 17, previous, lowest, inputsFinite,
			largestWeight, check, 1e-3f, KEPT));
	}

	@Test
	void aLossThatGrewIsTheLearningRate() {
		final String message = explain(40, 0.02, true, Double.NaN, RIGHT);
		assertEquals("The training loss became NaN in epoch 3, batch 17 after growing from 0.02000 to 40.00: " +
			"learning_rate=0.001 is too high; try 0.0001. " + KEPT, message);
	}

	/** Adam moves each weight by about the learning rate per step: with 1e20 the next forward pass overflows at once. */
	@Test
	void runawayWeightsAreTheLearningRate() {
		final String message = explain(0.05, 0.05, true, 3e19, RIGHT);
		assertTrue(message.contains("with weights grown to 3.00e+19: learning_rate=0.001 is too high"), message);
	}

	@Test
	void nonFiniteGradientsFromASaneLossAreTheEngine() {
		final String message = explain(0.04, 0.03, true, Double.NaN, RIGHT);
		assertTrue(message.startsWith("The training loss became NaN in epoch 3, batch 17, one step after a loss of " +
			"0.04000 (the lowest was 0.03000), with non-finite weights: the engine computed non-finite gradients " +
			"from a finite loss. This is a fault of the engine's kernels on this CPU, not of learning_rate=0.001."),
			message);
		assertTrue(message.contains("-Dkeypointj.convolutions=native") && message.endsWith(KEPT), message);
		assertFalse(message.contains("too high"), message);

		final String first = explain(Double.NaN, Double.NaN, true, 0.3, RIGHT);
		assertTrue(first.contains("batch 17 (the first step), with sane weights: the engine turned finite numbers " +
			"into non-finite ones"), first);
	}

	/**
	 * Issue 26, case 4: rates of 100 to Infinity were blamed on the engine (a non-finite loss in the first
	 * step, sane weights); far above Adam's range, the rate is named whatever else is seen.
	 */
	@Test
	void aRateFarAboveAdamsRangeIsTheLearningRate() {
		final String message = NonFiniteLoss.explain(new NonFiniteLoss.Facts(Double.NaN, 1, 1, Double.NaN, Double.NaN,
			true, 0.3, RIGHT, 100f, KEPT));
		assertEquals("The training loss became NaN in epoch 1, batch 1: learning_rate=100.0 is too high: Adam moves " +
			"every weight by about that much per step (usual rates: 0.0001 to 0.01); try 0.001. " + KEPT,
			message);
		assertFalse(message.contains("engine"), message);
	}

	/** ... and rates of 0.1-10 that ended "done" with losses of 1e27: a warning once the loss has grown. */
	@Test
	void aFiniteLossThatGrewIsAWarning() {
		assertEquals("epoch 4: the training loss has grown from 0.2800 to 5.800e+27: learning_rate=0.1 is too high for " +
			"this data; the model is that of the best epoch. Train again with learning_rate=0.01.",
			NonFiniteLoss.divergence(5.8e27, 0.28, 4, 0.1f));
		assertEquals(null, NonFiniteLoss.divergence(0.5, 0.28, 4, 0.1f), "noise, not divergence");
	}

	@Test
	void aFailingConvolutionCheckNamesTheLayer() {
		final ConvolutionCheck.Result wrong = new ConvolutionCheck.Result(3, 0, List.of("NoseNet conv 3 (ic24 oc32 ih12 " +
			"iw17 k5 s1 p0) forward: 125 of 128 checked values wrong"), 0.1);
		final String message = explain(40, 0.02, true, Double.NaN, wrong);
		assertTrue(message.contains("the engine computes wrong convolutions for this model on this CPU: NoseNet conv 3 " +
			"(ic24 oc32 ih12 iw17 k5 s1 p0) forward"), message);
		assertTrue(message.contains("This is not the learning rate."), message);
	}

	@Test
	void nonFinitePixelsAreTheData() {
		final String message = explain(0.04, 0.03, false, 0.3, RIGHT);
		assertTrue(message.contains("that batch's images hold NaN or infinite pixel values"), message);
		assertFalse(message.contains("engine") || message.contains("learning_rate"), message);
	}
}
