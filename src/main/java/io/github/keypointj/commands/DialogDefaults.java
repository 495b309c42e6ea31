package io.github.keypointj.commands;

import java.util.function.Predicate;

/**
 * A command whose dialog starts from values that depend on the image or on other inputs (the selection
 * the user drew, the chosen architecture's epochs), where a macro or script that leaves the key out gets
 * the documented default. SciJava's initializers cannot tell the two apart: they run after a macro or
 * script has set inputs, and would overwrite them.
 */
public interface DialogDefaults {

	/**
	 * Sets the starting values of the inputs a dialog is about to ask for; called only with a display.
	 *
	 * @param unset whether an input (by name) is still to be asked for, i.e. no macro or script has set it
	 */
	void startDialog(Predicate<String> unset);
}
