package io.github.keypointj.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.engine.KeypointEngine;
import io.github.keypointj.nets.NetworkForward;

/**
 * A keypoint network with its description: what the model file holds, in memory.
 * <p>
 * {@link #predict} takes normalised network inputs and returns the raw outputs: for each keypoint its
 * x and y as fractions of the input's width and height.
 */
public final class KeypointModel implements AutoCloseable {

	private final ModelDescription description;
	private final Model model;
	/** The network's inference pass. */
	private final NetworkForward forward;
	/** The network that finds objects on whole planes, or null. */
	private ObjectStage objectStage;

	private KeypointModel(final ModelDescription description, final Model model) {
		this.description = description;
		this.model = model;
		this.forward = new NetworkForward(model.getBlock(), model.getNDManager(), "The model '" + description.name() + "'");
	}

	/** A new model with freshly initialised weights on {@code device}. */
	public static KeypointModel create(final ModelDescription description, final Device device) {
		final String problem = description.problem();
		if (problem != null) throw new KeypointException("Cannot create the model '" + description.name() + "': " + problem + ".");
		final KeypointModel created = allocate(description, device);
		created.block().initialize(created.model.getNDManager(), DataType.FLOAT32, created.inputShape(1));
		try (NDManager scratch = created.model.getNDManager().newSubManager()) {
			description.architecture().initialize(created.block(), scratch);
		}
		return created;
	}

	/** A model whose block is built but not yet initialised: its weights are about to be loaded. */
	static KeypointModel allocate(final ModelDescription description, final Device device) {
		KeypointEngine.get();
		if (device.equals(Device.cpu())) {
			description.architecture().verifyConvolutions(description.channels(), description.inputHeight(),
				description.inputWidth(), description.keypointCount());
		}
		final Model model = Model.newInstance(description.name(), device, KeypointEngine.ENGINE_NAME);
		model.setBlock(description.architecture().build(description.keypointCount()));
		return new KeypointModel(description, model);
	}

	public ModelDescription description() {
		return description;
	}

	/** The object stage, or null when the model has none. */
	public ObjectStage objectStage() {
		return objectStage;
	}

	/**
	 * Gives the model {@code stage} (closed with the model), replacing and closing any earlier one; its
	 * description becomes part of the model's.
	 */
	public void setObjectStage(final ObjectStage stage) {
		if (objectStage != null && objectStage != stage) objectStage.close();
		objectStage = stage;
		description.setObjectStage(stage == null ? null : stage.description());
	}

	public Block block() {
		return model.getBlock();
	}

	/** The DJL model, for training. */
	public Model djlModel() {
		return model;
	}

	public Device device() {
		return model.getNDManager().getDevice();
	}

	/** The network's input shape (N, C, H, W) for a batch of {@code batch}. */
	public Shape inputShape(final int batch) {
		return new Shape(batch, description.channels(), description.inputHeight(), description.inputWidth());
	}

	/** Number of values in one network input (C x H x W). */
	public int inputSize() {
		return description.channels() * description.inputHeight() * description.inputWidth();
	}

	/**
	 * Runs the network in inference mode.
	 *
	 * @param inputs {@code batch} normalised inputs, each C x H x W, one after another
	 * @return per input, 2K values: x0, y0, x1, y1, ... as fractions of the input's width and height
	 */
	public float[][] predict(final float[] inputs, final int batch) {
		return infer(inputs, batch).points();
	}

	/**
	 * What the network says about {@code batch} inputs: the points, as {@link #predict} gives them, and
	 * per input and keypoint a confidence in [0, 1] for heatmap networks (the probability that the point
	 * lies within {@value #CONFIDENCE_RADIUS_PIXELS} input pixels of where it is placed); NaN for networks that
	 * regress coordinates, which have no such measure. Models that {@linkplain
	 * ModelDescription#averagesWithMirror average with the mirror image} run each input and its mirror in
	 * one batch and average the two: the coordinates, and for the confidence the heatmaps.
	 */
	public Inference infer(final float[] inputs, final int batch) {
		return infer(inputs, batch, description.averagesWithMirror());
	}

	/**
	 * As {@link #infer(float[], int)}, averaging with the mirror image when {@code averageWithMirror} and the
	 * keypoints have a mirror order, whatever the model's own setting.
	 */
	public Inference infer(final float[] inputs, final int batch, final boolean averageWithMirror) {
		KeypointEngine.inferenceMode();
		final int keypoints = description.keypointCount();
		final MirrorOrder mirror = averageWithMirror ? description.mirror() : null;
		final int runs = mirror == null ? batch : 2 * batch;
		final float[][] points = new float[batch][2 * keypoints];
		final float[][] confidence = new float[batch][keypoints];
		try (NDManager scope = model.getNDManager().newSubManager()) {
			// Exactly the batch's values: callers may pass a longer, reused array.
			final float[] values = mirror == null ? inputs : withMirrorImages(inputs, batch);
			final NDList out = forward.forward(scope, values, inputShape(runs));
			final float[] flat = out.get(0).toFloatArray();
			for (int b = 0; b < batch; b++) System.arraycopy(flat, b * 2 * keypoints, points[b], 0, 2 * keypoints);
			final boolean maps = out.size() > 1;
			final Shape shape = maps ? out.get(1).getShape() : null;
			final float[] logProbabilities = maps ? out.get(1).toFloatArray() : null;
			if (mirror != null) {
				for (int b = 0; b < batch; b++) {
					for (int k = 0; k < keypoints; k++) {
						final int seen = (batch + b) * 2 * keypoints + 2 * mirror.mirrorOf(k);
						points[b][2 * k] = (float) ((points[b][2 * k] + 1 - flat[seen] + description.mirrorShift()) / 2);
						points[b][2 * k + 1] = (points[b][2 * k + 1] + flat[seen + 1]) / 2;
					}
				}
				if (maps) averageWithMirrorMaps(logProbabilities, batch, keypoints, (int) shape.get(2), (int) shape.get(3),
					mirror);
			}
			if (maps) {
				final int radius = confidenceRadius((int) shape.get(3), description.inputWidth());
				for (int b = 0; b < batch; b++) {
					for (int k = 0; k < keypoints; k++) {
						confidence[b][k] = massNear(logProbabilities, (b * keypoints + k) * shape.get(2) * shape.get(3),
							(int) shape.get(3), (int) shape.get(2), points[b][2 * k], points[b][2 * k + 1], radius);
					}
				}
			}
			else {
				for (final float[] row : confidence) java.util.Arrays.fill(row, Float.NaN);
			}
		}
		return new Inference(points, confidence);
	}

	/** The {@code batch} inputs followed by their mirror images (each row reversed). */
	private float[] withMirrorImages(final float[] inputs, final int batch) {
		final int values = batch * inputSize();
		final float[] both = java.util.Arrays.copyOf(inputs, 2 * values);
		final int width = description.inputWidth();
		for (int row = 0; row < values / width; row++) {
			for (int column = 0; column < width; column++) {
				both[values + row * width + column] = inputs[row * width + width - 1 - column];
			}
		}
		return both;
	}

	/**
	 * Replaces the first {@code batch} inputs' log-probabilities (N, K, h, w) by the log of the mean of
	 * theirs and their mirror images', the mirror's keypoints swapped back and their maps reversed.
	 */
	private static void averageWithMirrorMaps(final float[] logProbabilities, final int batch, final int keypoints,
		final int height, final int width, final MirrorOrder mirror)
	{
		final int cells = height * width;
		for (int b = 0; b < batch; b++) {
			for (int k = 0; k < keypoints; k++) {
				final int own = (b * keypoints + k) * cells;
				final int seen = ((batch + b) * keypoints + mirror.mirrorOf(k)) * cells;
				for (int row = 0; row < height; row++) {
					for (int column = 0; column < width; column++) {
						final int i = own + row * width + column;
						final double mean = (Math.exp(logProbabilities[i]) +
							Math.exp(logProbabilities[seen + row * width + width - 1 - column])) / 2;
						logProbabilities[i] = (float) Math.log(mean);
					}
				}
			}
		}
	}

	/**
	 * @param points per input, x0, y0, x1, ... as fractions of the input's extent
	 * @param confidence per input and keypoint, in [0, 1], or NaN where the network gives none
	 */
	public record Inference(float[][] points, float[][] confidence) {}

	/**
	 * Input pixels around a point whose probability counts towards its confidence: one cell of HeatmapNet's
	 * maps at a quarter of the input (a 3x3 neighbourhood), two of HeatmapNet-fine's at half (5x5), so that
	 * a confidence, and an object score threshold, mean the same for both.
	 */
	public static final int CONFIDENCE_RADIUS_PIXELS = 4;

	/** {@link #CONFIDENCE_RADIUS_PIXELS} in cells of a map {@code mapWidth} wide for an input {@code inputWidth} wide, at least 1. */
	static int confidenceRadius(final int mapWidth, final int inputWidth) {
		return Math.max(1, (int) Math.round((double) CONFIDENCE_RADIUS_PIXELS * mapWidth / inputWidth));
	}

	/** The probability in the cells within {@code radius} cells of the cell of (x, y) (fractions). */
	static float massNear(final float[] logProbabilities, final long offset, final int width, final int height,
		final float x, final float y, final int radius)
	{
		final int column = Math.max(0, Math.min(width - 1, (int) Math.floor(x * width)));
		final int row = Math.max(0, Math.min(height - 1, (int) Math.floor(y * height)));
		double mass = 0;
		for (int r = Math.max(0, row - radius); r <= Math.min(height - 1, row + radius); r++) {
			for (int c = Math.max(0, column - radius); c <= Math.min(width - 1, column + radius); c++) {
				mass += Math.exp(logProbabilities[(int) (offset + (long) r * width + c)]);
			}
		}
		return (float) Math.min(1, mass);
	}

	/**
	 * Checks that the weights fit the description: DJL loads parameters of any shape, so a network whose
	 * file has, say, another number of keypoints would otherwise load and predict garbage.
	 *
	 * @throws IllegalStateException when a forward pass fails or gives the wrong shape
	 */
	void verifyWeights() {
		KeypointEngine.inferenceMode();
		try (NDManager scope = model.getNDManager().newSubManager()) {
			final NDList out = forward.forward(scope, new float[inputSize()], inputShape(1));
			final Shape expected = new Shape(1, 2L * description.keypointCount());
			if (!expected.equals(out.get(0).getShape())) {
				throw new IllegalStateException("the network gives " + out.get(0).getShape() +
					" values, the description expects " + expected);
			}
		}
	}

	/**
	 * Tells the model that its network's weights were changed in place other than by training (a script
	 * setting a bias, say): inference keeps copies made from them, which it makes again. Training and
	 * loading need no call.
	 */
	public void weightsChanged() {
		forward.weightsChanged();
	}

	@Override
	public void close() {
		if (objectStage != null) objectStage.close();
		forward.close();
		model.close();
	}
}
