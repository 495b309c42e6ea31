package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;

import java.util.Locale;

/**
 * How a convolution runs in inference (gradients off). Which is fastest depends on the layer's shape and
 * on the CPU: on AVX2 (AMD EPYC family 25) channels last made the small networks 1.2-1.3x faster, on Zen 5
 * with AVX-512 it made some of their layers 2x slower, and PyTorch's own kernel beats oneDNN on a few
 * small ones (docs/PERFORMANCE.md). So by default each layer shape measures the ones it may take and
 * keeps the fastest ({@link Convolutions#forward}).
 */
public enum InferenceLayout {
	/** oneDNN, the input in PyTorch's default layout (oneDNN reorders it to its blocked one and back). */
	NCHW("NCHW"),
	/** oneDNN, the input laid out channels last (NHWC), which its kernels read and write as it is. */
	CHANNELS_LAST("channels last"),
	/** PyTorch's own kernel, oneDNN switched off for the call: no reorders, no oneDNN dispatch. */
	NATIVE("PyTorch's own kernel");

	private final String description;

	InferenceLayout(final String description) {
		this.description = description;
	}

	public String description() {
		return description;
	}

	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** {@value Convolutions#INFERENCE_LAYOUT_PROPERTY}'s values: {@code measured}, or one layout for every layer. */
	public static final String MEASURED = "measured";

	/**
	 * @param value a property value: {@value #MEASURED} or a layout's {@link #label()}
	 * @return the layout it forces, or null for {@value #MEASURED}
	 */
	static InferenceLayout parseForced(final String value, final String property) {
		final String trimmed = value == null ? MEASURED : value.trim().toLowerCase(Locale.ROOT);
		if (trimmed.isEmpty() || trimmed.equals(MEASURED)) return null;
		for (final InferenceLayout layout : values()) {
			if (layout.label().equals(trimmed)) return layout;
		}
		throw new KeypointException(property + ": '" + value + "' is not one of measured, nchw, channels_last, native.");
	}
}
