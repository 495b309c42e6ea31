package io.github.keypointj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.keypointj.ImageJLegacy;

import java.awt.GraphicsEnvironment;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Shows the images a KeypointJ command returns (imported stacks, best and worst examples, filters, loss
 * plots, previews) as ImageJ 1.x images, so that the calling macro sees them ({@code nImages},
 * {@code selectImage}). Fiji's GUI does this through imagej-legacy; headless, Fiji only wraps them in
 * ImageJ2 displays no macro can reach, and without imagej-legacy (KeypointJ's own launcher) nothing
 * shows them. In batch mode they become batch-mode images, without a window.
 */
@Plugin(type = PostprocessorPlugin.class, priority = ShowOutputsPostprocessor.PRIORITY)
public class ShowOutputsPostprocessor extends AbstractPostprocessorPlugin {

	/** Just before SciJava's DisplayPostprocessor (VERY_LOW). */
	static final double PRIORITY = Priority.VERY_LOW + 1;

	@Override
	public void process(final Module module) {
		if (!MacroCallPreprocessor.isKeypointJ(module)) return;
		if (!GraphicsEnvironment.isHeadless() && ImageJLegacy.present()) return;
		// Headless with no macro running, no one can reach the image, and ImageJ would open a window for it
		// (a HeadlessException that fails the command after its work is done).
		if (GraphicsEnvironment.isHeadless() && !IJ.isMacro() && !Interpreter.isBatchMode()) return;
		for (final ModuleItem<?> output : module.getInfo().outputs()) {
			if (output.getType() != ImagePlus.class || module.isOutputResolved(output.getName())) continue;
			final ImagePlus image = (ImagePlus) output.getValue(module);
			if (image == null) continue;
			image.show();
			module.resolveOutput(output.getName()); // shown: no ImageJ2 display for it
		}
	}
}
