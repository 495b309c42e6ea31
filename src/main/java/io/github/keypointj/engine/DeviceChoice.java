package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;

import java.util.Locale;

/** Where the network runs, as the user asks for it: {@code auto}, {@code cpu} or {@code gpu}. */
public enum DeviceChoice {
	/** All GPUs the engine sees, else the CPU. */
	AUTO,
	/** The CPU, even when a GPU is there. */
	CPU,
	/** All GPUs the engine sees; an error when there is none. */
	GPU;

	/** The choices as they appear in dialogs and macros. */
	public static final String[] LABELS = { "auto", "cpu", "gpu" };

	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a parameter value; a clear message names the parameter when it is none of the choices. */
	public static DeviceChoice parse(final String value) {
		if (value != null) {
			for (final DeviceChoice choice : values()) {
				if (choice.label().equalsIgnoreCase(value.trim())) return choice;
			}
		}
		throw new KeypointException("device: '" + value + "' is not one of auto, cpu, gpu.");
	}
}
