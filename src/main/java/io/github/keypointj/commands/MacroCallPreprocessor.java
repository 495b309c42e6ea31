package io.github.keypointj.commands;

import ij.ImagePlus;
import ij.Macro;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.Images;

import java.awt.GraphicsEnvironment;

import org.scijava.Cancelable;
import org.scijava.Priority;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Checks a KeypointJ command's inputs before it runs, with a message in the Log where Fiji would say
 * nothing: a macro line's keys and values by {@link MacroCall}'s rules (imagej-legacy ignores unknown
 * keys and values it cannot convert, and fills keys left out with values remembered from an earlier
 * run), and that there is an image to work on (without one, SciJava cancels the command silently).
 * <p>
 * Runs after imagej-legacy's macro and active-image preprocessors, before SciJava loads remembered
 * values and before any dialog.
 */
@Plugin(type = PreprocessorPlugin.class, priority = MacroCallPreprocessor.PRIORITY)
public class MacroCallPreprocessor extends AbstractPreprocessorPlugin {

	/** Below imagej-legacy's ActiveImagePlusPreprocessor (VERY_HIGH + 1), above SciJava's UIPreprocessor. */
	static final double PRIORITY = Priority.VERY_HIGH + 0.5;

	@Parameter
	private ConvertService convert;

	@Override
	public void process(final Module module) {
		if (!isKeypointJ(module)) return;
		Failures.commandStarts();
		try {
			// imagej-legacy gives a command run from a macro the macro's options in this thread
			final String options = Macro.getOptions();
			if (options != null) {
				MacroCall.fill(module, options, convert);
				// with a display, Fiji asks for the keys left out in a dialog; headless nobody can
				MacroCall.requireValues(module, options, !GraphicsEnvironment.isHeadless());
			}
			for (final ModuleItem<?> input : module.getInfo().inputs()) {
				if (input.getType() == ImagePlus.class) {
					Images.requireOpen((ImagePlus) input.getValue(module));
				}
			}
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage()); // stops the run
			if (module instanceof Cancelable) ((Cancelable) module).cancel(e.getMessage()); // tells its caller why
		}
	}

	static boolean isKeypointJ(final Module module) {
		return module.getInfo().getDelegateClassName().startsWith("io.github.keypointj.");
	}
}
