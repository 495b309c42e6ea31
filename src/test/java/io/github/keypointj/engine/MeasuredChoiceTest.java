package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MeasuredChoiceTest {

	/** A clock that only the work moves: each layout "takes" its cost, the first call of each more. */
	private static final class Work {
		long now;
		final Map<InferenceLayout, Long> costs;
		final List<InferenceLayout> ran = new ArrayList<>();

		Work(final Map<InferenceLayout, Long> costs) {
			this.costs = costs;
		}

		String run(final InferenceLayout layout) {
			now += costs.get(layout) + (ran.contains(layout) ? 0 : 1_000_000); // building the kernel
			ran.add(layout);
			return layout.label();
		}
	}

	private static final List<InferenceLayout> ALL = List.of(InferenceLayout.NCHW, InferenceLayout.CHANNELS_LAST,
		InferenceLayout.NATIVE);

	@Test
	void theFastestCandidateIsKeptAfterEachRanItsTurns() {
		final Work work = new Work(Map.of(InferenceLayout.NCHW, 300L, InferenceLayout.CHANNELS_LAST, 500L,
			InferenceLayout.NATIVE, 200L));
		final MeasuredChoice<String, InferenceLayout> choice = new MeasuredChoice<>(() -> work.now);
		final int trial = MeasuredChoice.CALLS_BEFORE_TRYING + ALL.size() * (MeasuredChoice.WARM_UP + MeasuredChoice.TIMED);
		for (int call = 0; call < trial; call++) {
			assertNull(choice.chosen("conv 1"), "chosen after " + call + " calls");
			choice.run("conv 1", InferenceLayout.CHANNELS_LAST, ALL, work::run);
		}
		assertEquals(InferenceLayout.NATIVE, choice.chosen("conv 1"));
		// the default first, then each candidate in turn
		assertEquals(List.of(InferenceLayout.CHANNELS_LAST, InferenceLayout.CHANNELS_LAST, InferenceLayout.NCHW,
			InferenceLayout.CHANNELS_LAST, InferenceLayout.NATIVE), work.ran.subList(0, 5));
		for (int call = 0; call < 10; call++) assertEquals("native", choice.run("conv 1", InferenceLayout.NCHW, ALL, work::run));
		assertEquals(Map.of(InferenceLayout.NATIVE, 1), choice.choices(InferenceLayout.class));
	}

	/** One slow call (the shared machine busy for a moment) does not decide: the shortest timed call does. */
	@Test
	void aCandidateSlowedOnceStillWins() {
		final Work work = new Work(Map.of(InferenceLayout.NCHW, 300L, InferenceLayout.CHANNELS_LAST, 250L,
			InferenceLayout.NATIVE, 400L));
		final MeasuredChoice<String, InferenceLayout> choice = new MeasuredChoice<>(() -> work.now);
		for (int call = 0; choice.chosen("conv 2") == null; call++) {
			final boolean busy = call == MeasuredChoice.CALLS_BEFORE_TRYING + 4; // channels last's first timed call
			choice.run("conv 2", InferenceLayout.NCHW, ALL, layout -> {
				if (busy) work.now += 10_000;
				return work.run(layout);
			});
		}
		assertEquals(InferenceLayout.CHANNELS_LAST, choice.chosen("conv 2"));
	}

	/** Each key is measured on its own; a key with one candidate, or seen twice, is never tried. */
	@Test
	void keysAreMeasuredApartAndRareOnesKeepTheDefault() {
		final Work work = new Work(Map.of(InferenceLayout.NCHW, 300L, InferenceLayout.CHANNELS_LAST, 100L,
			InferenceLayout.NATIVE, 200L));
		final MeasuredChoice<String, InferenceLayout> choice = new MeasuredChoice<>(() -> work.now);
		for (int call = 0; call < 40; call++) choice.run("often", InferenceLayout.NCHW, ALL, work::run);
		work.ran.clear();
		for (int call = 0; call < MeasuredChoice.CALLS_BEFORE_TRYING; call++) {
			choice.run("rare", InferenceLayout.NCHW, ALL, work::run);
		}
		for (int call = 0; call < 5; call++) choice.run("head", InferenceLayout.NCHW, List.of(InferenceLayout.NCHW), work::run);
		assertEquals(InferenceLayout.CHANNELS_LAST, choice.chosen("often"));
		assertNull(choice.chosen("rare"));
		assertNull(choice.chosen("head"));
		assertEquals(List.of(InferenceLayout.NCHW), work.ran.stream().distinct().toList());
	}

	/** Keys beyond the most kept (a photo of a new size each time) take the default and are not remembered. */
	@Test
	void keysBeyondTheMostKeptTakeTheDefault() {
		final Work work = new Work(Map.of(InferenceLayout.NCHW, 300L, InferenceLayout.CHANNELS_LAST, 100L,
			InferenceLayout.NATIVE, 200L));
		final MeasuredChoice<Integer, InferenceLayout> choice = new MeasuredChoice<>(() -> work.now);
		for (int key = 0; key < MeasuredChoice.MAX_KEYS; key++) choice.run(key, InferenceLayout.NCHW, ALL, work::run);
		for (int call = 0; call < 40; call++) choice.run(-1, InferenceLayout.NCHW, ALL, work::run);
		assertNull(choice.chosen(-1));
		assertEquals(List.of(InferenceLayout.NCHW), work.ran.stream().distinct().toList());
		for (int call = 0; call < 40; call++) choice.run(0, InferenceLayout.NCHW, ALL, work::run);
		assertEquals(InferenceLayout.CHANNELS_LAST, choice.chosen(0)); // a kept key is still measured
	}
}
