package io.github.keypointj.engine;

import io.github.keypointj.KeypointException;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which convolution path KeypointJ uses and why: the first path, fastest first, that the numerical
 * check finds correct on this machine, or the path the user forced.
 *
 * @param path the path in use
 * @param forced whether the user chose it (property {@value KeypointEngine#CONVOLUTIONS_PROPERTY})
 * @param checks the check of each path tried, in the order tried
 * @param unavailable why a path could not be tried (e.g. the oneDNN switch is missing), or null
 */
public record ConvolutionChoice(ConvolutionPath path, boolean forced, Map<ConvolutionPath, ConvolutionCheck.Result> checks,
	String unavailable)
{

	/**
	 * @param forcedPath the path the user forced, or null to choose
	 * @param from the fastest path to consider: the choice only ever moves to slower paths once made, so
	 *        that no other thread's work runs on a path that was found wrong
	 * @param available the paths this engine can take
	 * @param checkOn checks a path
	 */
	static ConvolutionChoice choose(final ConvolutionPath forcedPath, final ConvolutionPath from,
		final Set<ConvolutionPath> available, final String unavailable,
		final Function<ConvolutionPath, ConvolutionCheck.Result> checkOn)
	{
		final Map<ConvolutionPath, ConvolutionCheck.Result> checks = new EnumMap<>(ConvolutionPath.class);
		if (forcedPath != null) {
			if (!available.contains(forcedPath)) {
				throw new KeypointException(KeypointEngine.CONVOLUTIONS_PROPERTY + "=" +
					forcedPath.label() + " cannot be used with this engine: " + unavailable);
			}
			checks.put(forcedPath, checkOn.apply(forcedPath));
			return new ConvolutionChoice(forcedPath, true, Collections.unmodifiableMap(checks), unavailable);
		}
		ConvolutionPath fewestFailures = null;
		for (final ConvolutionPath path : ConvolutionPath.values()) {
			if (!available.contains(path) || path.compareTo(from) < 0) continue;
			final ConvolutionCheck.Result result = checkOn.apply(path);
			checks.put(path, result);
			if (result.passed()) return new ConvolutionChoice(path, false, Collections.unmodifiableMap(checks), unavailable);
			if (fewestFailures == null || result.failures().size() < checks.get(fewestFailures).failures().size()) {
				fewestFailures = path;
			}
		}
		return new ConvolutionChoice(fewestFailures, false, Collections.unmodifiableMap(checks), unavailable);
	}

	/** Whether the path in use passed the check. */
	public boolean verified() {
		final ConvolutionCheck.Result result = checks.get(path);
		return result != null && result.passed();
	}

	/** For the About report: the path, how it was chosen and what its check found. */
	public String describe() {
		final ConvolutionCheck.Result own = checks.get(path);
		final StringBuilder text = new StringBuilder(path.label() + ": " + path.description() + (forced
			? " (forced by -D" + KeypointEngine.CONVOLUTIONS_PROPERTY + ")" : "") + "; check: " + own.summary());
		for (final Map.Entry<ConvolutionPath, ConvolutionCheck.Result> tried : checks.entrySet()) {
			if (tried.getKey() != path) text.append("; ").append(tried.getKey().label()).append(" failed the check: ")
				.append(tried.getValue().summary());
		}
		if (unavailable != null) text.append("; ").append(unavailable);
		return text.toString();
	}

	/** What the Log says once, or null when the first path tried computes right. */
	public String notice() {
		if (verified() && forced) {
			return "convolutions forced to " + path.label() + " (" + path.description() + "); checked correct on this CPU.";
		}
		if (verified() && checks.size() == 1) return null;
		if (!verified()) {
			return "WARNING: " + (forced ? "the forced convolution path " + path.label() + " computes" : "every " +
				"convolution path of this engine computes") + " wrong results on this CPU, so trained models and " +
				"detections may be wrong. " + checks.get(path).summary() + ". Please report this with the text of Plugins > KeypointJ > " +
				"About KeypointJ.";
		}
		final ConvolutionPath failed = checks.keySet().iterator().next(); // the first path tried, which failed
		final ConvolutionCheck.Result wrong = checks.get(failed);
		return (failed == ConvolutionPath.ONEDNN ? "oneDNN" : "the " + failed.label() + " path") + " computes wrong " +
			"convolutions on this CPU (" + wrong.failures().get(0) + (wrong.failures().size() > 1 ? ", and " +
			(wrong.failures().size() - 1) + " more" : "") + "). KeypointJ uses " + path.description() +
			" instead, checked correct. Set -D" + KeypointEngine.CONVOLUTIONS_PROPERTY +
			"=onednn, aligned or native to force a path.";
	}
}
