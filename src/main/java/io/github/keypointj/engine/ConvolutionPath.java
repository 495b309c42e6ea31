package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;

import java.util.Locale;

/** How the networks' convolutions run on the CPU; the numerical check picks one that computes right. */
public enum ConvolutionPath {
	/** PyTorch's choice: oneDNN's kernels for most convolutions, the fastest path. */
	ONEDNN("oneDNN as PyTorch chooses it"),
	/**
	 * oneDNN, with a layer's channels padded with zeros to whole 16-channel blocks where oneDNN would pad
	 * them itself: avoids oneDNN's padded channel blocks, which compute wrong on some CPUs (docs/ENGINE.md).
	 */
	ALIGNED("oneDNN on whole 16-channel blocks (channels padded with zeros by KeypointJ)"),
	/** PyTorch's own kernels, oneDNN switched off for the whole process. */
	NATIVE("PyTorch's own kernels, oneDNN off");

	/** The choices as a property value takes them, with {@code auto} for the checked choice. */
	public static final String[] LABELS = { "auto", "onednn", "aligned", "native" };

	private final String description;

	ConvolutionPath(final String description) {
		this.description = description;
	}

	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	public String description() {
		return description;
	}

	/**
	 * @param value a property value: one of {@link #LABELS}
	 * @return the path forced by the value, or null for {@code auto}
	 */
	public static ConvolutionPath parseForced(final String value, final String property) {
		final String trimmed = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
		if (trimmed.isEmpty() || trimmed.equals("auto")) return null;
		for (final ConvolutionPath path : values()) {
			if (path.label().equals(trimmed)) return path;
		}
		throw new KeypointException(property + ": '" + value + "' is not one of " + String.join(", ", LABELS) + ".");
	}
}
