package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;

import java.util.function.Function;

/**
 * Lets the JVM finish shutting down (SIGTERM from a cluster's scheduler, System.exit, Fiji quitting)
 * only once no work is inside the engine. At exit the process runs libtorch's static destructors; a
 * training thread still inside a backward pass then calls through destroyed objects and the JVM crashes
 * (SIGSEGV at pc 0 in at::getAccelerator, seen after a SIGTERM on 2026-11-28), taking every unsaved
 * image with it. The shutdown hook asks running work (training, detection, evaluation) to stop, as a
 * cancel does after the batch under way, and waits for it (at most {@value #WAIT_SECONDS} s); the last
 * epoch's checkpoint stays intact.
 */
public final class ShutdownGuard {

	/** How long the JVM's exit waits for work to leave the engine: a ResNet-18 step takes seconds. */
	static final int WAIT_SECONDS = 60;

	/** The guard of this JVM's work in the engine, with its hook installed on first use. */
	public static final ShutdownGuard JVM = new ShutdownGuard();

	private final Object lock = new Object();
	private int running;
	private boolean stopping;
	private boolean hookInstalled;

	/**
	 * Runs {@code work} (called {@code what} in messages) with a progress that reports a cancel when the
	 * JVM is shutting down; the JVM's exit waits until it has returned.
	 *
	 * @throws KeypointException when the JVM is already shutting down: then the work does not start
	 */
	public <T> T run(final String what, final Progress progress, final Function<Progress, T> work) {
		if (!enter()) throw new KeypointException("Java is shutting down: " + what + " did not start.");
		try {
			return work.apply(new Progress() {

				@Override
				public void report(final String status, final int done, final int total) {
					progress.report(status, done, total);
				}

				@Override
				public boolean isCanceled() {
					return stopping() || progress.isCanceled();
				}
			});
		}
		finally {
			leave();
		}
	}

	/**
	 * Work starts: from now on the JVM's exit waits for {@link #leave}.
	 *
	 * @return false when the JVM is already shutting down: then do not start
	 */
	private boolean enter() {
		synchronized (lock) {
			if (stopping) return false;
			if (this == JVM && !hookInstalled) {
				Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndWait, "KeypointJ: stop work before exit"));
				hookInstalled = true;
			}
			running++;
			return true;
		}
	}

	/** Work left the engine. */
	private void leave() {
		synchronized (lock) {
			running--;
			lock.notifyAll();
		}
	}

	/** Whether work should stop after the batch under way. */
	public boolean stopping() {
		synchronized (lock) {
			return stopping;
		}
	}

	/** What the shutdown hook does: ask work to stop, and wait until it left the engine. */
	public void stopAndWait() {
		final long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
		synchronized (lock) {
			stopping = true;
			while (running > 0) {
				final long left = deadline - System.nanoTime();
				if (left <= 0) return;
				try {
					lock.wait(left / 1_000_000 + 1);
				}
				catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}
}
