package io.github.keypointj.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;
import io.github.keypointj.train.CoordinateLoss;
import io.github.keypointj.train.ResumableAdam;
import io.github.keypointj.train.TrainingRun;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Where a training step's time goes (forward, loss + backward, optimiser update), median over steps,
 * for one architecture and batch size. Not a test: {@code StepProfile FaceNet 1 [steps [side]]}; side: a
 * square input of that side instead of the architecture's.
 */
public final class StepProfile {

	private static final boolean DIRECT = Boolean.getBoolean("direct");
	/** Where to write PyTorch's profiler trace (chrome://tracing JSON) of the measured steps, if set. */
	private static final String TRACE = System.getProperty("trace");

	private StepProfile() {}

	public static void main(final String[] args) {
		final Architecture architecture = Architecture.fromLabel(args.length > 0 ? args[0] : "FaceNet");
		final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
		final int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		final int keypoints = Benchmark.reportKeypoints(architecture);
		final int width = args.length > 3 ? Integer.parseInt(args[3]) : architecture.defaultWidth();
		final int height = args.length > 3 ? width : architecture.defaultHeight();
		final ModelDescription description = ModelDescription.of("profile", architecture, width, height,
			AnnotatedStack.numberedNames(keypoints));
		final ResumableAdam adam = new ResumableAdam(1e-3f);
		try (KeypointModel model = KeypointModel.create(description, Device.cpu());
			Trainer trainer = model.djlModel().newTrainer(new DefaultTrainingConfig(TrainingRun.loss(architecture, CoordinateLoss.L1)).optOptimizer(adam)))
		{
			trainer.initialize(model.inputShape(1));
			final Random random = new Random(1);
			final float[] inputs = new float[batch * model.inputSize()];
			final float[] targets = new float[batch * 2 * keypoints];
			for (int i = 0; i < inputs.length; i++) inputs[i] = random.nextFloat();
			for (int i = 0; i < targets.length; i++) targets[i] = random.nextFloat();
			final double[][] ms = new double[4][steps];
			for (int s = -Math.min(10, steps); s < steps; s++) {
				if (s == 0 && TRACE != null) JniUtils.startProfile(false, true, false);
				final long t0 = System.nanoTime();
				long t1, t2;
				try (NDManager scope = trainer.getManager().newSubManager()) {
					final NDArray x = scope.create(inputs, model.inputShape(batch));
					final NDArray y = scope.create(targets, new Shape(batch, 2L * keypoints));
					try (GradientCollector collector = trainer.newGradientCollector()) {
						final NDList predictions = trainer.forward(new NDList(x), new NDList(y));
						t1 = System.nanoTime();
						final NDArray loss = trainer.getLoss().evaluate(new NDList(y), predictions);
						collector.backward(loss);
						loss.getFloat();
					}
					t2 = System.nanoTime();
					adam.nextStep();
					if (DIRECT) adam.updateAll(model.block());
					else trainer.step();
				}
				final long t3 = System.nanoTime();
				if (s < 0) continue;
				ms[0][s] = (t1 - t0) / 1e6;
				ms[1][s] = (t2 - t1) / 1e6;
				ms[2][s] = (t3 - t2) / 1e6;
				ms[3][s] = (t3 - t0) / 1e6;
			}
			if (TRACE != null) JniUtils.stopProfile(TRACE);
			System.out.printf(Locale.ROOT, "%s %dx%d batch %d: forward %.2f ms, loss+backward %.2f ms, update %.2f ms, step %.2f ms (%.1f img/s)%n",
				architecture.label(), width, height, batch, median(ms[0]), median(ms[1]), median(ms[2]), median(ms[3]), batch * 1000 / median(ms[3]));
		}
	}

	private static double median(final double[] values) {
		final double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}
}
