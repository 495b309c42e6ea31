package io.github.keypointj.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object stage of a model, apart from its weights: the network that finds where each object is on
 * a whole plane before the keypoint network places its points ({@code objects.ObjectFinder}). Stored in
 * the model's description; model files without one have no stage.
 */
public final class ObjectStageDescription {

	/** The side of the square input a plane is fitted into (its longer side becomes this many pixels). */
	private int inputSide;
	/** The object score a detection needs by default, chosen from held-out photos (docs/RESULTS.md). */
	private double threshold;
	private Map<String, String> trainingSettings = new LinkedHashMap<>();
	private List<EpochRecord> history = new ArrayList<>();
	/** Figures measured on held-out photos, e.g. precision and recall at the threshold; empty if none. */
	private Map<String, String> evaluation = new LinkedHashMap<>();

	/** For Gson. */
	ObjectStageDescription() {}

	public ObjectStageDescription(final int inputSide, final double threshold) {
		this.inputSide = inputSide;
		this.threshold = threshold;
	}

	public int inputSide() {
		return inputSide;
	}

	public double threshold() {
		return threshold;
	}

	public void setThreshold(final double threshold) {
		this.threshold = threshold;
	}

	public Map<String, String> trainingSettings() {
		return trainingSettings;
	}

	public List<EpochRecord> history() {
		return history;
	}

	public Map<String, String> evaluation() {
		return evaluation;
	}

	/** What is wrong with a stage read from a file, or null. */
	String problem() {
		if (inputSide < 32 || inputSide % 32 != 0 || inputSide > 2048) {
			return "its object stage's input side " + inputSide + " is no multiple of 32 from 32 to 2048";
		}
		if (!(threshold >= 0 && threshold <= 1)) return "its object stage's threshold " + threshold + " is not in [0, 1]";
		return null;
	}
}
