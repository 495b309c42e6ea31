package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;

import java.util.Locale;

/**
 * How a network's inference pass runs on the CPU. Layer by layer, PyTorch 2.5.1's oneDNN reorders every
 * convolution's input, output and weights at every call, which at batch 1 of the small networks costs more
 * than the convolutions; as one script, activations stay in oneDNN's blocked layout and the weights are
 * reordered once (docs/PERFORMANCE.md). {@code nets.NetworkForward} runs it.
 */
public enum InferencePath {
	/** One TorchScript call per network where it has a script, else layer by layer. */
	SCRIPT("one script per network (activations in oneDNN's blocked layout, weights reordered once)"),
	/** Each layer a DJL call, each convolution's layout measured ({@link InferenceLayout}). */
	LAYERS("layer by layer");

	/** {@code script} (the default) or {@code layers}. */
	public static final String PROPERTY = "keypointj.inference_path";
	private static volatile InferencePath active = parse(System.getProperty(PROPERTY), PROPERTY);

	private final String description;

	InferencePath(final String description) {
		this.description = description;
	}

	/** The path inference takes from now on, where a network and its device allow it. */
	public static InferencePath active() {
		return active;
	}

	/** Sets {@link #active()}: for tests and benchmarks that compare both in one run. */
	public static void use(final InferencePath path) {
		active = path;
	}

	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** What inference does, for the About report and benchmarks. */
	public static String describe() {
		return active.description + " on the CPU; layer by layer on a GPU, with oneDNN off or with a layout forced (-D" +
			PROPERTY + "=" + (active == SCRIPT ? LAYERS : SCRIPT).label() + " switches)";
	}

	/**
	 * @param value a property value: a path's {@link #label()}, or nothing for {@link #SCRIPT}
	 * @throws KeypointException for anything else, naming {@code property}
	 */
	static InferencePath parse(final String value, final String property) {
		final String trimmed = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		if (trimmed.isEmpty()) return SCRIPT;
		for (final InferencePath path : values()) {
			if (path.label().equals(trimmed)) return path;
		}
		throw new KeypointException(property + ": '" + value + "' is not one of script, layers.");
	}
}
