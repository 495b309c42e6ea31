package io.github.keypointj.commands;

import java.awt.GraphicsEnvironment;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Gives a {@link DialogDefaults} command its dialog's starting values in Fiji: after the image and a
 * macro's or script's inputs are set (and resolved) and the initializers have run, before the dialog.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.HIGH - 1)
public class DialogDefaultsPreprocessor extends AbstractPreprocessorPlugin {

	@Override
	public void process(final Module module) {
		if (GraphicsEnvironment.isHeadless()) return;
		if (module.getDelegateObject() instanceof DialogDefaults command) {
			command.startDialog(name -> !module.isInputResolved(name));
		}
	}
}
