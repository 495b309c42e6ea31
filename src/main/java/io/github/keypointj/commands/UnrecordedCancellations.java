package io.github.keypointj.commands;

import ij.plugin.frame.Recorder;

import org.scijava.event.EventHandler;
import org.scijava.module.event.ModuleCanceledEvent;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

/**
 * Keeps KeypointJ commands that were cancelled, or stopped with a message, out of the Macro Recorder.
 * ImageJ 1.x records a command's name when it starts and its keys only when it ends well, so such a
 * run was recorded as a bare {@code run("Detect Keypoints");}, which opens a dialog when replayed.
 */
@Plugin(type = Service.class)
public class UnrecordedCancellations extends AbstractService implements SciJavaService {

	/** Published on the command's thread before ImageJ 1.x writes the line, in Fiji and the launcher. */
	@EventHandler
	protected void onEvent(final ModuleCanceledEvent event) {
		if (Recorder.record && MacroCallPreprocessor.isKeypointJ(event.getModule())) Recorder.setCommand(null);
	}
}
