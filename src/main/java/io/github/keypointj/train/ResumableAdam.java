package io.github.keypointj.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam (PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay) whose state can be saved
 * with a checkpoint and restored, so that a resumed training continues exactly. DJL's own Adam keys its
 * moments by parameter ids that are new in every run, and keeps them private.
 * <p>
 * The step t counts optimiser steps ({@link #nextStep()}, once per batch), not calls per device.
 * <p>
 * On the CPU, {@link #updateAll} updates each parameter in one pass over its memory, like PyTorch's
 * {@code Adam(fused=True)}: DJL's native update makes eleven passes with four temporaries per
 * parameter, which made it a fifth of a small network's training step.
 * <p>
 * The moments live in the manager of the weights they belong to, and are freed with them: DJL's
 * {@code withDefaultState} detaches them from every manager, so nothing ever freed them, and each
 * ResNet-18 training left its 90 MB of moments in native memory (issue 14).
 */
public final class ResumableAdam extends Optimizer {

	private static final float BETA1 = 0.9f;
	private static final float BETA2 = 0.999f;
	private static final float EPSILON = 1e-8f;

	private float learningRate;
	private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
	private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
	private final FusedAdam fused = new FusedAdam();
	private int step;

	public ResumableAdam(final float learningRate) {
		super(new Builder());
		this.learningRate = learningRate;
	}

	/** Sets the rate of the steps to come, e.g. from a schedule at the start of each epoch. */
	public void setLearningRate(final float rate) {
		this.learningRate = rate;
	}

	/** Starts the next optimiser step; call before each {@code trainer.step()}. */
	public void nextStep() {
		step++;
	}

	public int step() {
		return step;
	}

	@Override
	public void update(final String parameterId, final NDArray weight, final NDArray grad) {
		final int t = Math.max(1, step);
		final double coef1 = 1.0 - Math.pow(BETA1, t);
		final double coef2 = 1.0 - Math.pow(BETA2, t);
		final float correctedRate = (float) (learningRate * Math.sqrt(coef2) / coef1);
		// DJL's update divides by sqrt(v) + eps where PyTorch divides by sqrt(v / coef2) + eps: scaling
		// eps by sqrt(coef2) makes it PyTorch's step (it differs by 3 % when gradients are ~1e-5).
		final float epsilon = (float) (EPSILON * Math.sqrt(coef2));
		final NDList inputs = new NDList(weight, grad, moment(means, parameterId, weight),
			moment(variances, parameterId, weight));
		final NDArrayEx ex = weight.getNDArrayInternal();
		ex.adamUpdate(inputs, new NDList(weight), learningRate, correctedRate, 0f, rescaleGrad, clipGrad, BETA1, BETA2,
			epsilon, true, false);
	}

	/**
	 * Updates every trainable parameter of a block trained on one device, in place, from its gradient,
	 * and clears the gradient. Does what {@code Trainer.step()} does on one device without its
	 * per-parameter copy of each gradient (and without leaving the gradient handles it fetches open).
	 */
	public void updateAll(final Block block) {
		for (final Pair<String, Parameter> parameter : block.getParameters()) {
			if (!parameter.getValue().requiresGradient()) continue;
			final String id = parameter.getValue().getId();
			final NDArray weight = parameter.getValue().getArray();
			try (NDArray gradient = weight.getGradient()) {
				final NDArray mean = moment(means, id, weight);
				final NDArray variance = moment(variances, id, weight);
				if (fused.applies(id, weight, gradient, mean, variance)) {
					fused.update(weight, gradient, mean, variance, learningRate, Math.max(1, step), BETA1, BETA2, EPSILON);
				}
				else {
					update(id, weight, gradient);
				}
			}
		}
	}

	/**
	 * The moment of {@code id} on the weight's device, in the weight's manager: zeros at first, on a
	 * further device a copy of the first device's (a restored state continues there too).
	 */
	private static NDArray moment(final Map<String, Map<Device, NDArray>> moments, final String id, final NDArray weight) {
		final Map<Device, NDArray> byDevice = moments.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
		final NDArray present = byDevice.get(weight.getDevice());
		if (present != null) return present;
		final NDArray moment = byDevice.isEmpty() ? weight.zerosLike() : first(byDevice).toDevice(weight.getDevice(), true);
		moment.attach(weight.getManager());
		byDevice.put(weight.getDevice(), moment);
		return moment;
	}

	/** Every moment held, on every device: for the test that they are freed with the weights. */
	List<NDArray> moments() {
		final List<NDArray> all = new ArrayList<>();
		for (final Map<String, Map<Device, NDArray>> moments : List.of(means, variances)) {
			for (final Map<Device, NDArray> byDevice : moments.values()) all.addAll(byDevice.values());
		}
		return all;
	}

	/** Writes the step and the moments of {@code parameterIds} (in the order the block lists its parameters). */
	public void save(final List<String> parameterIds, final DataOutputStream out) throws IOException {
		out.writeInt(step);
		out.writeInt(parameterIds.size());
		for (final String id : parameterIds) {
			final boolean present = means.containsKey(id);
			out.writeBoolean(present);
			if (!present) continue;
			write(first(means.get(id)), out);
			write(first(variances.get(id)), out);
		}
	}

	/** Restores what {@link #save} wrote, for the parameters of a new model, given in the same order. */
	public void restore(final List<String> parameterIds, final NDManager manager, final DataInputStream in)
		throws IOException
	{
		step = in.readInt();
		final int count = in.readInt();
		if (count != parameterIds.size()) {
			throw new IOException("the optimiser state holds " + count + " parameters, the network " + parameterIds.size());
		}
		for (final String id : parameterIds) {
			if (!in.readBoolean()) continue;
			means.put(id, onDevice(read(manager, in)));
			variances.put(id, onDevice(read(manager, in)));
		}
	}

	private static NDArray first(final Map<Device, NDArray> states) {
		return states.values().iterator().next();
	}

	private static Map<Device, NDArray> onDevice(final NDArray array) {
		final Map<Device, NDArray> map = new ConcurrentHashMap<>();
		map.put(array.getDevice(), array);
		return map;
	}

	private static void write(final NDArray array, final DataOutputStream out) throws IOException {
		final byte[] bytes = array.encode();
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static NDArray read(final NDManager manager, final DataInputStream in) throws IOException {
		final byte[] bytes = new byte[in.readInt()];
		in.readFully(bytes);
		return NDArray.decode(manager, bytes); // freed with that manager: the model's, like the moments it replaces
	}

	private static final class Builder extends OptimizerBuilder<Builder> {

		@Override
		protected Builder self() {
			return this;
		}
	}
}
