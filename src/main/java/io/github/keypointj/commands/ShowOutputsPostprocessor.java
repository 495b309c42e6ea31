package io.github.keypointj.commands;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import io.github.keypointj.ImageJLegacy;

import java.awt.GraphicsEnvironment;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.thread.ThreadService;

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

	@Parameter(required = false)
	private ThreadService threads;

	@Override
	public void process(final Module module) {
		if (!MacroCallPreprocessor.isKeypointJ(module)) return;
		// the thread that ran the command: the macro's, whose current image the new one becomes
		final Thread caller = threads == null ? null : threads.getParent(null);
		if (showsOutputs()) {
			for (final ModuleItem<?> output : module.getInfo().outputs()) {
				if (output.getType() != ImagePlus.class || module.isOutputResolved(output.getName())) continue;
				final ImagePlus image = (ImagePlus) output.getValue(module);
				if (image == null) continue;
				image.show();
				if (caller != null && Interpreter.isBatchMode()) WindowManager.setTempCurrentImage(caller, image);
				module.resolveOutput(output.getName()); // shown: no ImageJ2 display for it
			}
		}
		// In batch mode an image shown in this pooled thread became its current image, and would stay so: the
		// next command run on it would take that image instead of the one the macro selected.
		if (caller != null && caller != Thread.currentThread()) WindowManager.setTempCurrentImage(null);
	}

	private static boolean showsOutputs() {
		if (!GraphicsEnvironment.isHeadless() && ImageJLegacy.present()) return false;
		// headless outside a batch-mode macro (a script, a test) there is nowhere to show it: the caller holds it
		return !GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode();
	}
}
