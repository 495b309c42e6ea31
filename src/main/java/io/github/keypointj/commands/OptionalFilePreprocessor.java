package io.github.keypointj.commands;

import java.io.File;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Leaves an optional file of a KeypointJ command empty when it is the only input a macro did not give.
 * SciJava's FilePreprocessor opens a file chooser for a lone unresolved File input, required or not:
 * headless it cancels the command without a word (seen in the ImageJ2 runtime: Detect Keypoints with
 * every key but {@code csv_file} did nothing), in Fiji a chooser interrupts the macro. This runs just
 * before it. With more inputs missing (a command started from the menu) it does nothing: the dialog
 * asks for all of them.
 */
@Plugin(type = PreprocessorPlugin.class, priority = OptionalFilePreprocessor.PRIORITY)
public class OptionalFilePreprocessor extends AbstractPreprocessorPlugin {

	/** Between SciJava's LoadInputsPreprocessor (-9999) and FilePreprocessor (-9999.5). */
	static final double PRIORITY = -9999.25;

	@Override
	public void process(final Module module) {
		if (!module.getInfo().getDelegateClassName().startsWith("io.github.keypointj.")) return;
		ModuleItem<?> lone = null;
		for (final ModuleItem<?> input : module.getInfo().inputs()) {
			if (module.isInputResolved(input.getName())) continue;
			if (lone != null) return;
			lone = input;
		}
		if (lone != null && File.class.isAssignableFrom(lone.getType()) && !lone.isRequired()) {
			module.resolveInput(lone.getName());
		}
	}
}
