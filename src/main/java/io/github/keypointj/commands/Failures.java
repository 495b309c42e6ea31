package io.github.keypointj.commands;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The KeypointJ commands that failed in this Java process, so that a macro that goes on after a failure
 * can tell ({@link MacroFunctions#lastError()}) and a batch job can end with a non-zero exit code.
 */
public final class Failures {

	private static final AtomicInteger COUNT = new AtomicInteger();

	private static volatile String last = "";

	private Failures() {}

	/** A KeypointJ command starts: the last error is that of this command from now on. */
	static void commandStarts() {
		last = "";
	}

	/** A command failed with the message the user was given. */
	public static void record(final String message) {
		COUNT.incrementAndGet();
		last = message;
	}

	/** How many KeypointJ commands failed so far. */
	public static int count() {
		return COUNT.get();
	}

	/** Why the last KeypointJ command failed; empty when it did not. */
	public static String last() {
		return last;
	}
}
