package io.github.keypointj.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.keypointj.KeypointException;
import io.github.keypointj.KeypointJVersion;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.nets.Architecture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about a model but its weights: network, input, keypoints, how crops are made, how it
 * was trained. Stored as JSON in the model file.
 * <p>
 * Points are in ImageJ pixel coordinates (the centre of pixel i is at i). The network predicts each
 * point as a fraction of its input's extent ({@link io.github.keypointj.data.PixelCoordinates}).
 */
public final class ModelDescription {

	/** Marks a KeypointJ model file. */
	public static final String FORMAT = "KeypointJ model";
	/** The newest format this version reads and the one it writes. */
	public static final int FORMAT_VERSION = 1;

	/** The JSON form model files hold (keypointj.json); NaN losses of diverged epochs are kept as NaN. */
	static final Gson JSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

	private String format = FORMAT;
	private int formatVersion = FORMAT_VERSION;
	private String name;
	private String architecture;
	private int inputWidth;
	private int inputHeight;
	private int channels;
	private Normalization normalization;
	private List<String> keypointNames;
	private CropRecipe crop;
	private Map<String, String> trainingSettings = new LinkedHashMap<>();
	private List<EpochRecord> history = new ArrayList<>();
	/** The training set's mean shape (x0, y0, x1, ... as fractions of the input), the evaluation's baseline. */
	private float[] meanShape;
	/** Absent in models saved before it was stored; empty: never mirrored. */
	private int[] mirror;
	/**
	 * Whether a prediction is the mean of the network's on the input and on its mirror image (test-time
	 * mirroring, with the mirror order's pairs swapped back); absent in older files: no.
	 */
	private boolean averageWithMirror;
	/**
	 * How far right of the mirror-symmetric place the annotations put every point, as a fraction of the
	 * object's box (see {@link #mirrorShift}); absent in older files: 0.
	 */
	private double mirrorOffset;
	private String keypointjVersion;
	/** Figures measured on held-out data after training, e.g. "NME (%)" on a test set; empty if none. */
	private Map<String, String> evaluation = new LinkedHashMap<>();
	/** The terms of use of the data the model was trained on, for models that are shared; null if none. */
	private String dataTerms;
	/** The network that finds the objects on a whole plane; null: the model has none (older files). */
	private ObjectStageDescription objectStage;

	/** For Gson. */
	ModelDescription() {}

	public ModelDescription(final String name, final Architecture architecture, final int inputWidth,
		final int inputHeight, final int channels, final Normalization normalization,
		final List<String> keypointNames, final CropRecipe crop)
	{
		this.name = name;
		this.architecture = architecture.label();
		this.inputWidth = inputWidth;
		this.inputHeight = inputHeight;
		this.channels = channels;
		this.normalization = normalization;
		this.keypointNames = new ArrayList<>(keypointNames);
		this.crop = crop;
		this.keypointjVersion = KeypointJVersion.get();
	}

	/**
	 * A description for {@code architecture} with the given input size: channels, normalisation and crops
	 * as the architecture's recipe has them (the report's: gray and whole images for NoseNet and FaceNet,
	 * RGB crops of twice the box for ResNet18).
	 */
	public static ModelDescription of(final String name, final Architecture architecture, final int width,
		final int height, final List<String> keypointNames)
	{
		final int channels = architecture.defaultChannels();
		return new ModelDescription(name, architecture, width, height, channels,
			channels == 3 ? Normalization.imageNet() : Normalization.centered(channels), keypointNames,
			architecture.cropBoxScale() > 0 ? CropRecipe.squareAroundBox(architecture.cropBoxScale())
				: CropRecipe.wholeRegion());
	}

	public String format() {
		return format;
	}

	public int formatVersion() {
		return formatVersion;
	}

	public String name() {
		return name;
	}

	public Architecture architecture() {
		return Architecture.fromLabel(architecture);
	}

	public int inputWidth() {
		return inputWidth;
	}

	public int inputHeight() {
		return inputHeight;
	}

	public int channels() {
		return channels;
	}

	public Normalization normalization() {
		return normalization;
	}

	public List<String> keypointNames() {
		return Collections.unmodifiableList(keypointNames);
	}

	public int keypointCount() {
		return keypointNames.size();
	}

	public CropRecipe crop() {
		return crop;
	}

	public Map<String, String> trainingSettings() {
		return trainingSettings;
	}

	public List<EpochRecord> history() {
		return history;
	}

	/** The training set's mean shape in network outputs' terms, or null for models trained before it was kept. */
	public float[] meanShape() {
		return meanShape == null ? null : meanShape.clone();
	}

	/**
	 * Which keypoint becomes which when a sample is mirrored in training, or null: never mirrored. Models
	 * saved before KeypointJ stored it get the scheme their keypoint count suggested then.
	 */
	public MirrorOrder mirror() {
		if (mirror == null) return MirrorOrder.guessedFromCount(keypointCount());
		return mirror.length == 0 ? null : new MirrorOrder(mirror);
	}

	public void setMirror(final MirrorOrder order) {
		mirror = order == null ? new int[0] : order.order();
	}

	/** Whether predictions average the input and its mirror image: asked for, and the keypoints have a mirror order. */
	public boolean averagesWithMirror() {
		return averageWithMirror && mirror() != null;
	}

	public void setAverageWithMirror(final boolean average) {
		averageWithMirror = average;
	}

	/**
	 * How far right of the mirror-symmetric place the annotations put every point, as a fraction of the
	 * object's box side (the crop's side over the recipe's box scale; for whole planes the crop's side).
	 * Annotators and their tools place points with a bias of their own: 300-W's lie about 0.9 px right of
	 * where a mirror-symmetric labelling of its 192-px faces would put them (docs/RESULTS.md). A mirror
	 * image's points then lie as far left, and a network that learns from both views must tell a face from
	 * its mirror image to match either: its horizontal error swings between epochs, by 1.7 px at a time.
	 */
	public double mirrorOffset() {
		return mirrorOffset;
	}

	public void setMirrorOffset(final double offset) {
		mirrorOffset = offset;
	}

	/**
	 * What mirroring adds to a point's x, as a fraction of the input's width, so that a mirror image's
	 * points lie where the annotations would put them: twice the {@linkplain #mirrorOffset offset}. Mirrored
	 * training samples and the average with the mirror image use it alike.
	 */
	public double mirrorShift() {
		return 2 * mirrorOffset / (crop().fromBox() ? crop().boxScale() : 1);
	}

	/** How inputs are cut, when training finds it must differ from the architecture's recipe. */
	public void setCrop(final CropRecipe recipe) {
		crop = recipe;
	}

	public void setMeanShape(final float[] shape) {
		this.meanShape = shape.clone();
	}

	public String keypointjVersion() {
		return keypointjVersion;
	}

	public Map<String, String> evaluation() {
		return evaluation;
	}

	public String dataTerms() {
		return dataTerms;
	}

	public void setDataTerms(final String terms) {
		this.dataTerms = terms;
	}

	/** The object stage's description, or null when the model has no object stage. */
	public ObjectStageDescription objectStage() {
		return objectStage;
	}

	public void setObjectStage(final ObjectStageDescription stage) {
		this.objectStage = stage;
	}

	/** A copy under another name, with other keypoint names (same count), e.g. to publish a trained model. */
	public ModelDescription renamed(final String newName, final List<String> newKeypointNames) {
		if (newKeypointNames.size() != keypointNames.size()) {
			throw new KeypointException("The model '" + name + "' has " + keypointNames.size() + " keypoints, not " +
				newKeypointNames.size() + ".");
		}
		final ModelDescription copy = copy();
		copy.name = newName;
		copy.keypointNames = new ArrayList<>(newKeypointNames);
		return copy;
	}

	/** A deep copy, through the JSON form. */
	ModelDescription copy() {
		return JSON.fromJson(JSON.toJson(this), ModelDescription.class);
	}

	/** What is wrong with a description read from a file, or null when it is complete and consistent. */
	String problem() {
		if (name == null) return "it has no name";
		if (architecture == null) return "it names no architecture";
		try {
			architecture();
		}
		catch (final RuntimeException e) {
			return "its architecture '" + architecture + "' is unknown";
		}
		final String sizeProblem = architecture().inputSizeProblem(inputWidth, inputHeight);
		if (sizeProblem != null) return sizeProblem;
		if (channels != 1 && channels != 3) return "it has " + channels + " input channels (1 or 3 are supported)";
		if (normalization == null || normalization.mean() == null || normalization.std() == null ||
			normalization.mean().length != channels || normalization.std().length != channels)
			return "its normalisation does not match its " + channels + " channel(s)";
		if (keypointNames == null || keypointNames.isEmpty()) return "it has no keypoints";
		if (crop == null) return "it does not say how crops are made";
		return objectStage == null ? null : objectStage.problem();
	}
}
