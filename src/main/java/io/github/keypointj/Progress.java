package io.github.keypointj;

/**
 * How long work reports progress and learns that the user cancelled it, without knowing who listens
 * (a status bar, the log, a test).
 */
public interface Progress {

	/** Progress that nobody watches. */
	Progress NONE = (status, done, total) -> {};

	/** @param done work units finished out of {@code total} */
	void report(String status, int done, int total);

	/** Whether the user asked to stop; work stops at the next safe point. */
	default boolean isCanceled() {
		return false;
	}
}
