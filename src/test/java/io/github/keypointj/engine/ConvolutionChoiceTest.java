package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ConvolutionChoiceTest {

	private static final Set<ConvolutionPath> ALL = EnumSet.allOf(ConvolutionPath.class);

	private static ConvolutionCheck.Result right() {
		return new ConvolutionCheck.Result(19, 2, List.of(), 0.4);
	}

	private static ConvolutionCheck.Result wrong(final int failures) {
		return new ConvolutionCheck.Result(19, 2, IntStream.range(0, failures).mapToObj(i -> "NoseNet conv " + (i + 2) +
			" forward: 9 of 9 checked values wrong").toList(), 0.4);
	}

	/** Records which paths were checked, in order. */
	private static Function<ConvolutionPath, ConvolutionCheck.Result> checks(final List<ConvolutionPath> tried,
		final Function<ConvolutionPath, ConvolutionCheck.Result> outcome)
	{
		return path -> {
			tried.add(path);
			return outcome.apply(path);
		};
	}

	@Test
	void oneDnnAsPyTorchUsesItWhenItIsRight() {
		final List<ConvolutionPath> tried = new ArrayList<>();
		final ConvolutionChoice choice = ConvolutionChoice.choose(null, ConvolutionPath.ONEDNN, ALL, null, checks(tried, path -> right()));
		assertEquals(ConvolutionPath.ONEDNN, choice.path());
		assertEquals(List.of(ConvolutionPath.ONEDNN), tried);
		assertTrue(choice.verified());
		assertNull(choice.notice(), "nothing to say in the Log");
		assertTrue(choice.describe().startsWith("onednn: oneDNN as PyTorch chooses it; check: correct on 19 convolution shapes and 2 training steps (0.40 s)"),
			choice.describe());
	}

	@Test
	void theFastestRightPathIsTakenAndTheLogSaysWhy() {
		final List<ConvolutionPath> tried = new ArrayList<>();
		final ConvolutionChoice choice = ConvolutionChoice.choose(null, ConvolutionPath.ONEDNN, ALL, null, checks(tried,
			path -> path == ConvolutionPath.ONEDNN ? wrong(2) : right()));
		assertEquals(ConvolutionPath.ALIGNED, choice.path());
		assertEquals(List.of(ConvolutionPath.ONEDNN, ConvolutionPath.ALIGNED), tried);
		assertTrue(choice.verified());
		assertTrue(choice.notice().startsWith("oneDNN computes wrong convolutions on this CPU (NoseNet conv 2 forward: " +
			"9 of 9 checked values wrong, and 1 more). KeypointJ uses oneDNN on whole 16-channel blocks"), choice.notice());
		assertTrue(choice.describe().contains("onednn failed the check: 2 wrong result(s) in 19 convolution shapes and 2 training steps (0.40 s); first: NoseNet conv 2"), choice.describe());
	}

	@Test
	void whenNoPathIsRightTheLeastWrongIsUsedWithAWarning() {
		final ConvolutionChoice choice = ConvolutionChoice.choose(null, ConvolutionPath.ONEDNN, EnumSet.of(ConvolutionPath.ONEDNN,
			ConvolutionPath.ALIGNED), "native is not available: no switch", path -> path == ConvolutionPath.ONEDNN
				? wrong(3) : wrong(1));
		assertEquals(ConvolutionPath.ALIGNED, choice.path());
		assertFalse(choice.verified());
		assertTrue(choice.notice().startsWith("WARNING: every convolution path of this engine computes wrong results on this CPU"), choice.notice());
		assertTrue(choice.describe().endsWith("; native is not available: no switch"), choice.describe());
	}

	/** Once a path was found wrong, a later check (a model's own shapes) never goes back to it. */
	@Test
	void aLaterChoiceOnlyMovesToSlowerPaths() {
		final List<ConvolutionPath> tried = new ArrayList<>();
		final ConvolutionChoice choice = ConvolutionChoice.choose(null, ConvolutionPath.ALIGNED, ALL, null, checks(tried,
			path -> path == ConvolutionPath.NATIVE ? right() : wrong(1)));
		assertEquals(List.of(ConvolutionPath.ALIGNED, ConvolutionPath.NATIVE), tried);
		assertEquals(ConvolutionPath.NATIVE, choice.path());
	}

	@Test
	void aForcedPathIsKeptEvenWhenItIsWrong() {
		final List<ConvolutionPath> tried = new ArrayList<>();
		final ConvolutionChoice choice = ConvolutionChoice.choose(ConvolutionPath.ONEDNN, ConvolutionPath.ONEDNN, ALL, null, checks(tried,
			path -> wrong(1)));
		assertEquals(ConvolutionPath.ONEDNN, choice.path());
		assertEquals(List.of(ConvolutionPath.ONEDNN), tried);
		assertTrue(choice.forced());
		assertTrue(choice.notice().startsWith("WARNING: the forced convolution path onednn computes wrong results on this CPU"), choice.notice());

		final ConvolutionChoice right = ConvolutionChoice.choose(ConvolutionPath.NATIVE, ConvolutionPath.ONEDNN, ALL, null, path -> right());
		assertEquals("convolutions forced to native (PyTorch's own kernels, oneDNN off); checked correct on this CPU.",
			right.notice());
	}

	@Test
	void aForcedPathThisEngineCannotTakeIsRefusedByName() {
		final KeypointException e = assertThrows(KeypointException.class, () -> ConvolutionChoice.choose(
			ConvolutionPath.NATIVE, ConvolutionPath.ONEDNN, EnumSet.of(ConvolutionPath.ONEDNN), "native is not available: no switch",
			path -> right()));
		assertEquals("keypointj.convolutions=native cannot be used with this engine: native is not available: no switch",
			e.getMessage());
	}
}
