package io.github.keypointj.train;

import io.github.keypointj.engine.ConvolutionCheck;
import io.github.keypointj.engine.KeypointEngine;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Why a training loss stopped being finite, said so that the user can act on it: the training data,
 * the engine, or the learning rate. A too-high learning rate makes the loss grow, or the weights, before
 * something overflows (Adam moves a weight by about the learning rate per step, whatever the gradient);
 * a non-finite loss from finite inputs, sane weights and a sane loss one step before comes from kernels
 * that compute wrong numbers.
 */
final class NonFiniteLoss {

	/** A loss this many times the lowest one of the run has grown: the run diverged. */
	static final double DIVERGED = 100;
	/** Weights this large are a learning rate's doing: these networks start near 0.1 and train to a few units. */
	static final double RUNAWAY_WEIGHT = 1e10;
	/**
	 * Adam rates above this are the learning rate's doing whatever else is seen: Adam moves each weight by
	 * about the rate per step, and these networks' weights are a few tenths (usual rates: 1e-4 to 1e-2).
	 */
	static final float RUNAWAY_RATE = 0.05f;

	/**
	 * What the run knew when its loss stopped being finite.
	 *
	 * @param loss the loss that is not finite
	 * @param epoch its epoch
	 * @param batch its batch within the epoch, from 1
	 * @param previous the loss of the step before (NaN in the run's first step)
	 * @param lowest the lowest loss of the run so far (NaN in the first step)
	 * @param inputsFinite whether every value of the batch's network inputs was finite
	 * @param largestWeight the largest absolute weight of the network now (NaN or infinite if one is)
	 * @param modelCheck the convolution check for this model's own layer shapes on the path in use, or
	 *        null where it cannot run (GPU)
	 * @param learningRate the learning rate
	 * @param kept what the output file holds now
	 */
	record Facts(double loss, int epoch, int batch, double previous, double lowest, boolean inputsFinite,
		double largestWeight, ConvolutionCheck.Result modelCheck, float learningRate, String kept) {}

	private NonFiniteLoss() {}

	static String explain(final Facts facts) {
		final String where = "The training loss became " + facts.loss() + " in epoch " + facts.epoch() + ", batch " +
			facts.batch();
		if (!facts.inputsFinite()) {
			return where + ": that batch's images hold NaN or infinite pixel values (32-bit planes). Replace them " +
				"(e.g. Process > Math > Remove NaNs) and train again. " + facts.kept();
		}
		if (facts.modelCheck() != null && !facts.modelCheck().passed()) {
			return where + ", and the engine computes wrong convolutions for this model on this CPU: " +
				facts.modelCheck().failures().get(0) + ". This is not the learning rate. Try -D" +
				KeypointEngine.CONVOLUTIONS_PROPERTY + "=native and please report it with the text of About KeypointJ. " +
				facts.kept();
		}
		final boolean diverged = facts.previous() > DIVERGED * facts.lowest();
		if (diverged || facts.largestWeight() > RUNAWAY_WEIGHT) {
			return where + (diverged ? String.format(Locale.ROOT, " after growing from %.4g to %.4g", facts.lowest(),
				facts.previous()) : String.format(Locale.ROOT, " with weights grown to %.3g", facts.largestWeight())) +
				": learning_rate=" + facts.learningRate() + " is too high; try " + lower(facts.learningRate()) + ". " +
				facts.kept();
		}
		if (!(facts.learningRate() <= RUNAWAY_RATE)) {
			return where + ": learning_rate=" + facts.learningRate() + " is too high: Adam moves every weight by about " +
				"that much per step (usual rates: 0.0001 to 0.01); try 0.001. " + facts.kept();
		}
		return where + (Double.isNaN(facts.previous()) ? " (the first step)" : String.format(Locale.ROOT,
			", one step after a loss of %.4g (the lowest was %.4g)", facts.previous(), facts.lowest())) + ", with " +
			(Double.isFinite(facts.largestWeight()) ? "sane weights: the engine turned finite numbers into non-finite ones"
				: "non-finite weights: the engine computed non-finite gradients from a finite loss") +
			". This is a fault of the engine's kernels on this CPU, not of learning_rate=" + facts.learningRate() +
			". Try -D" + KeypointEngine.CONVOLUTIONS_PROPERTY + "=native and please report it with the text of About " +
			"KeypointJ. " + facts.kept();
	}

	/** A tenth of the rate, as the user would type it. */
	static String lower(final float rate) {
		return new BigDecimal(Float.toString(rate)).movePointLeft(1).toString();
	}

	/**
	 * A warning for a run whose loss is still finite but has grown {@link #DIVERGED} times above its
	 * lowest epoch's: the rate is too high, though nothing overflowed; else null.
	 */
	static String divergence(final double loss, final double lowest, final int epoch, final float learningRate) {
		if (!(loss > DIVERGED * lowest)) return null;
		return String.format(Locale.ROOT, "epoch %d: the training loss has grown from %.4g to %.4g: learning_rate=%s " +
			"is too high for this data; the model is that of the best epoch. Train again with learning_rate=%s.", epoch,
			lowest, loss, learningRate, lower(learningRate));
	}
}
