package io.github.keypointj.commands;

import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.EngineReport;
import io.github.keypointj.nets.Architecture;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Plugin;

/**
 * Plugins>KeypointJ>About KeypointJ: versions, engine, natives, devices and threads, in the Log. The
 * first thing to run when a GPU is not used.
 */
@Plugin(type = Command.class, menuPath = "Plugins>KeypointJ>About KeypointJ",
	description = "Versions, engine, natives, devices and threads")
public class AboutKeypointJ extends ContextCommand {

	@Override
	public void run() {
		try {
			Architecture.verifyConvolutions();
			for (final String line : EngineReport.lines()) UserFeedback.info(line);
		}
		catch (final KeypointException e) {
			UserFeedback.fail(this, e.getMessage());
		}
	}
}
