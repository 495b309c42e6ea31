package io.github.keypointj.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one thread on which detections run, whatever thread asks for them.
 * <p>
 * Fiji runs each command on a new thread, and glibc gives a new thread one of its malloc arenas (8 per
 * core): each arena then keeps what the detections on it freed, at least the top of its heap, which
 * malloc_trim does not reach. Measured over 120 box-free detections on 2 cores (docs/HARDENING.md):
 * 0.93 GB resident and growing, 0.71 GB with malloc_trim after each, 0.58 GB flat with all of them on
 * one thread; a machine with more cores has more arenas to fill. The thread is a daemon: it never keeps
 * Java alive.
 */
public final class EngineThread {

	private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(work -> {
		final Thread thread = new Thread(work, "KeypointJ engine");
		thread.setDaemon(true);
		return thread;
	});
	private static volatile Thread engine;

	private EngineThread() {}

	/**
	 * Runs {@code work} on the engine thread and returns its result; exceptions reach the caller as they
	 * were thrown. Called on the engine thread itself, it runs there at once.
	 */
	public static <T> T call(final Supplier<T> work) {
		if (Thread.currentThread() == engine) return work.get();
		final Future<T> result = THREAD.submit(() -> {
			engine = Thread.currentThread();
			return work.get();
		});
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return result.get();
				}
				catch (final InterruptedException e) {
					// the work stops by its own Progress (Stop, Esc, shutdown); until then the caller waits for it
					interrupted = true;
				}
			}
		}
		catch (final ExecutionException e) {
			if (e.getCause() instanceof RuntimeException runtime) throw runtime;
			if (e.getCause() instanceof Error error) throw error;
			throw new IllegalStateException(e.getCause());
		}
		finally {
			if (interrupted) Thread.currentThread().interrupt();
		}
	}
}
