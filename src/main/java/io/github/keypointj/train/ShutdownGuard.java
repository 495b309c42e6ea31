package io.github.keypointj.train;

/**
 * Lets the JVM finish shutting down (SIGTERM from a cluster's scheduler, System.exit, Fiji quitting)
 * only once no training is inside the engine. At exit the process runs libtorch's static destructors;
 * a training thread still inside a backward pass then calls through destroyed objects and the JVM
 * crashes (SIGSEGV at pc 0 in at::getAccelerator, seen after a SIGTERM on 2026-11-28), taking every
 * unsaved image with it. The shutdown hook asks running trainings to stop, as a cancel does after the
 * batch under way, and waits for them (at most {@value #WAIT_SECONDS} s); the last epoch's checkpoint
 * stays intact.
 */
final class ShutdownGuard {

	/** How long the JVM's exit waits for a training to leave the engine: a ResNet-18 step takes seconds. */
	static final int WAIT_SECONDS = 60;

	/** The guard of this JVM's trainings, with its hook installed on first use. */
	static final ShutdownGuard JVM = new ShutdownGuard();

	private final Object lock = new Object();
	private int running;
	private boolean stopping;
	private boolean hookInstalled;

	/**
	 * A training starts: from now on the JVM's exit waits for {@link #leave}.
	 *
	 * @return false when the JVM is already shutting down: then do not start
	 */
	boolean enter() {
		synchronized (lock) {
			if (stopping) return false;
			if (this == JVM && !hookInstalled) {
				Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndWait, "KeypointJ: stop trainings before exit"));
				hookInstalled = true;
			}
			running++;
			return true;
		}
	}

	/** A training left the engine. */
	void leave() {
		synchronized (lock) {
			running--;
			lock.notifyAll();
		}
	}

	/** Whether trainings should stop after the batch under way. */
	boolean stopping() {
		synchronized (lock) {
			return stopping;
		}
	}

	/** What the shutdown hook does: ask trainings to stop, and wait until they left the engine. */
	void stopAndWait() {
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
