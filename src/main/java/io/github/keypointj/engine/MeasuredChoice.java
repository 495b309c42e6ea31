package io.github.keypointj.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Per key (a layer's shape), the candidate that runs it fastest on this machine, found by running it:
 * cuDNN's benchmark mode for the CPU's kernels. A key's first {@value #CALLS_BEFORE_TRYING} calls take the
 * default; then each candidate runs {@value #WARM_UP} call (a new shape's first call builds its kernel) and
 * {@value #TIMED} timed calls, in turn, and the one with the shortest timed call is kept from then on (the
 * shortest, because a shared machine only ever adds time). A shape seen only a few times keeps the default.
 * The work runs outside any lock; calls of one key from several threads each take their turn. At most
 * {@value #MAX_KEYS} keys are kept (photos of ever new sizes would make ever new ones); later keys take the
 * default.
 *
 * @param <K> the key
 * @param <C> the candidates
 */
final class MeasuredChoice<K, C extends Enum<C>> {

	static final int CALLS_BEFORE_TRYING = 2;
	static final int WARM_UP = 1;
	static final int TIMED = 4;
	static final int MAX_KEYS = 4096;

	private final LongSupplier nanoClock;
	private final Map<K, Trial<C>> trials = new ConcurrentHashMap<>();

	MeasuredChoice(final LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	/**
	 * Runs {@code work} on the candidate this call of {@code key} takes.
	 *
	 * @param fallback what the key takes before it is tried, and where there is nothing to choose
	 * @param candidates what may run the key (the same list for every call of a key)
	 */
	<T> T run(final K key, final C fallback, final List<C> candidates, final Function<C, T> work) {
		if (candidates.size() < 2) return work.apply(candidates.isEmpty() ? fallback : candidates.get(0));
		Trial<C> trial = trials.get(key);
		if (trial == null) {
			if (trials.size() >= MAX_KEYS) return work.apply(fallback);
			trial = trials.computeIfAbsent(key, k -> new Trial<>(candidates));
		}
		final Trial.Turn<C> turn = trial.next(fallback);
		if (!turn.timed()) return work.apply(turn.candidate());
		final long start = nanoClock.getAsLong();
		final T result = work.apply(turn.candidate());
		trial.record(turn.candidate(), nanoClock.getAsLong() - start);
		return result;
	}

	/** The candidate chosen for {@code key}, or null while it is not chosen yet. */
	C chosen(final K key) {
		final Trial<C> trial = trials.get(key);
		return trial == null ? null : trial.chosen();
	}

	/** How many keys chose each candidate so far. */
	Map<C, Integer> choices(final Class<C> type) {
		final Map<C, Integer> counts = new EnumMap<>(type);
		for (final Trial<C> trial : trials.values()) {
			final C chosen = trial.chosen();
			if (chosen != null) counts.merge(chosen, 1, Integer::sum);
		}
		return counts;
	}

	private static final class Trial<C> {

		record Turn<C>(C candidate, boolean timed) {}

		private final List<C> candidates;
		private final long[] fastest;
		private int calls;
		private int timedCalls;
		private C chosen;

		Trial(final List<C> candidates) {
			this.candidates = List.copyOf(candidates);
			this.fastest = new long[candidates.size()];
			java.util.Arrays.fill(fastest, Long.MAX_VALUE);
		}

		synchronized Turn<C> next(final C fallback) {
			if (chosen != null) return new Turn<>(chosen, false);
			final int call = calls++;
			if (call < CALLS_BEFORE_TRYING) return new Turn<>(fallback, false);
			final int tried = call - CALLS_BEFORE_TRYING;
			final int round = tried / candidates.size();
			// calls beyond the trial while its last timings are still running: untimed
			return new Turn<>(candidates.get(tried % candidates.size()), round >= WARM_UP && round < WARM_UP + TIMED);
		}

		synchronized void record(final C candidate, final long nanos) {
			final int index = candidates.indexOf(candidate);
			fastest[index] = Math.min(fastest[index], nanos);
			if (++timedCalls < TIMED * candidates.size()) return;
			int best = 0;
			for (int i = 1; i < fastest.length; i++) {
				if (fastest[i] < fastest[best]) best = i;
			}
			chosen = candidates.get(best);
		}

		synchronized C chosen() {
			return chosen;
		}
	}
}
