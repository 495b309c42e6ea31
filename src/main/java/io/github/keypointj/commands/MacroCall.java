package io.github.keypointj.commands;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.scijava.Context;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * The rules of a macro line that runs a KeypointJ command, {@code run("Detect Keypoints", "model=[...] ...")},
 * the same in Fiji (through {@link MacroCallPreprocessor}) and in KeypointJ's own launcher:
 * <ul>
 * <li>a key the command does not know stops it, naming the key and the command's keys (Fiji would ignore
 * a misspelled key and run with a value the user did not choose);</li>
 * <li>a value that is not of the key's type, or not one of its choices, stops it, naming key and value;</li>
 * <li>a key left out takes the command's documented default, never a value remembered from an earlier
 * run, so that a macro does the same on every machine; a required file left out stays unset (in Fiji's
 * GUI a dialog asks for it, elsewhere the command names it).</li>
 * </ul>
 */
public final class MacroCall {

	private MacroCall() {}

	/** The keys a macro can give: the inputs a user sets (not the image, services or the context). */
	public static List<String> keys(final ModuleInfo info) {
		final List<String> keys = new ArrayList<>();
		for (final ModuleItem<?> input : info.inputs()) {
			if (isMacroKey(input)) keys.add(input.getName());
		}
		return keys;
	}

	/** Inputs a user sets, as opposed to services and the context that SciJava fills in, and a dialog's help line. */
	public static boolean isUserInput(final ModuleItem<?> input) {
		return !Service.class.isAssignableFrom(input.getType()) && input.getType() != Context.class &&
			!Help.isMessage(input);
	}

	private static boolean isMacroKey(final ModuleItem<?> input) {
		return isUserInput(input) && input.getType() != ImagePlus.class;
	}

	/**
	 * Sets the inputs of {@code module} from a macro's options and resolves them; the image input is left
	 * to the caller.
	 *
	 * @throws KeypointException naming an unknown key, or a value that is not of its key's type
	 */
	public static void fill(final Module module, final String options, final ConvertService convert) {
		final ModuleInfo info = module.getInfo();
		final Map<String, String> values = MacroOptions.parse(options);
		final List<String> unknown = new ArrayList<>(values.keySet());
		unknown.removeAll(keys(info));
		// an image by its title (imp=[photo.png]), as Fiji records it when no image was active: imagej-legacy's
		unknown.removeIf(key -> info.getInput(key) != null && info.getInput(key).getType() == ImagePlus.class);
		if (!unknown.isEmpty()) {
			throw new KeypointException(unknown.stream().map(key -> "'" + key + "'").collect(Collectors.joining(", ")) +
				(unknown.size() == 1 ? " is not a key" : " are not keys") + " of " + info.getTitle() + " (keys: " +
				String.join(", ", keys(info)) + "); the command did not run.");
		}
		for (final ModuleItem<?> input : info.inputs()) {
			if (!isMacroKey(input)) continue;
			final String name = input.getName();
			if (values.containsKey(name)) module.setInput(name, convert(convert, input, values.get(name)));
			// else the value the command's field was initialised with, its documented default
			else if (input.isRequired() && input.getValue(module) == null) continue;
			module.resolveInput(name);
		}
	}

	/**
	 * The required inputs a macro gave empty ({@code model=[]}): SciJava cancels a command whose required
	 * input has no value without a word, so the caller names them instead.
	 */
	public static List<String> givenEmpty(final Module module, final String options) {
		final Map<String, String> values = MacroOptions.parse(options);
		final List<String> empty = new ArrayList<>();
		for (final ModuleItem<?> input : module.getInfo().inputs()) {
			if (isMacroKey(input) && input.isRequired() && values.containsKey(input.getName()) &&
				input.getValue(module) == null) empty.add(input.getName());
		}
		return empty;
	}

	/**
	 * Refuses a call that leaves a required input without a value, naming it.
	 *
	 * @param canAsk whether a dialog will ask for the inputs the macro left out (Fiji with a display)
	 * @throws KeypointException naming the keys given empty, or left out where nobody can be asked
	 */
	public static void requireValues(final Module module, final String options, final boolean canAsk) {
		final List<String> empty = givenEmpty(module, options);
		if (!empty.isEmpty()) {
			throw new KeypointException(empty.stream().map(key -> key + "=[]").collect(Collectors.joining(", ")) +
				": " + (empty.size() == 1 ? "a file is" : "files are") + " needed, not an empty value; " + module.getInfo()
					.getTitle() + " did not run.");
		}
		final List<String> missing = missing(module);
		if (!missing.isEmpty() && !canAsk) {
			throw new KeypointException("The macro gives no " + String.join(", ", missing) + " for " + module.getInfo()
				.getTitle() + "; the command did not run.");
		}
	}

	/** The inputs a macro left out that have no default: a file the command cannot do without. */
	public static List<String> missing(final Module module) {
		final List<String> missing = new ArrayList<>();
		for (final ModuleItem<?> input : module.getInfo().inputs()) {
			if (isMacroKey(input) && !module.isInputResolved(input.getName())) missing.add(input.getName());
		}
		return missing;
	}

	/**
	 * The value a macro's text stands for, for {@code input}.
	 *
	 * @throws KeypointException naming key and text when it is not of the key's type or not one of its choices
	 */
	public static Object convert(final ConvertService convert, final ModuleItem<?> input, final String value) {
		final List<String> choices = choices(input);
		if (!choices.isEmpty() && !choices.contains(value)) {
			throw new KeypointException(input.getName() + "=" + value + " is not one of " + String.join(", ", choices) +
				"; the command did not run.");
		}
		if (input.getType() == File.class) return value.isEmpty() ? null : new File(value);
		if (input.getType() == boolean.class || input.getType() == Boolean.class) {
			// not Boolean.valueOf: "ture" would silently be false
			if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) return Boolean.valueOf(value);
			throw new KeypointException(input.getName() + "=" + value + " is not true or false; the command did not run.");
		}
		try {
			// parsed here: SciJava turns "abc" into 0 for a primitive number without a word
			if (isOneOf(input.getType(), int.class, Integer.class)) return Integer.valueOf(value.trim());
			if (isOneOf(input.getType(), long.class, Long.class)) return Long.valueOf(value.trim());
			if (isOneOf(input.getType(), double.class, Double.class)) return Double.valueOf(value.trim());
			if (isOneOf(input.getType(), float.class, Float.class)) return Float.valueOf(value.trim());
		}
		catch (final NumberFormatException e) {
			throw new KeypointException(input.getName() + "=" + value + " is not " + (isOneOf(input.getType(), int.class,
				Integer.class, long.class, Long.class) ? "a whole number" : "a number") + "; the command did not run.");
		}
		final Object converted = convert.supports(value, input.getType()) ? convert.convert(value, input.getType()) :
			null;
		if (converted == null) {
			throw new KeypointException(input.getName() + "=" + value + " is not a valid " + input.getType()
				.getSimpleName() + "; the command did not run.");
		}
		return converted;
	}

	private static boolean isOneOf(final Class<?> type, final Class<?>... types) {
		return java.util.Arrays.asList(types).contains(type);
	}

	/** The values a choice input takes, or none. */
	@SuppressWarnings("unchecked")
	public static List<String> choices(final ModuleItem<?> input) {
		final List<?> choices = input.getChoices();
		return choices == null ? List.of() : (List<String>) choices;
	}
}
