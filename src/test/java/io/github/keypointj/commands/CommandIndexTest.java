package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.nets.Architecture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/** What Fiji sees of KeypointJ: the plugin index, the menu entries, the macro keys. */
class CommandIndexTest {

	@Test
	void thePluginIndexListsTheCommandsInTheKeypointJMenu() throws IOException {
		final String index;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/json/org.scijava.plugin.Plugin")) {
			index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		for (final String command : List.of("Detect Keypoints", "About KeypointJ", "Preview Training Samples",
			"Import>IMM Face Database...", "Import>Landmark Files...", "Import>Keypoints from CSV...", "Import>DeepLabCut Labels...",
			"Import>SLEAP Labels...",
			"Export>Keypoints as CSV"))
		{
			assertTrue(index.contains("\"menuPath\":\"Plugins>KeypointJ>" + command + "\""), command);
		}
	}

	@Test
	void macroKeysAreSnakeCaseAndChoicesMatchTheCore() {
		try (Context context = new Context(CommandService.class)) {
			final List<CommandInfo> commands = context.service(CommandService.class).getCommands().stream()
				.filter(info -> info.getClassName().startsWith("io.github.keypointj.")).toList();
			assertTrue(commands.size() >= 2);
			for (final CommandInfo info : commands) {
				for (final ModuleItem<?> input : info.inputs()) {
					assertTrue(input.getName().matches("[a-z][a-z0-9_]*"), info.getTitle() + ": " + input.getName());
				}
			}
			final CommandInfo detect = context.service(CommandService.class).getCommand(DetectKeypoints.class);
			assertEquals(List.of(Region.LABELS), detect.getInput("region").getChoices());
			assertEquals(List.of(DeviceChoice.LABELS), detect.getInput("device").getChoices());
			for (final Class<? extends Command> command : List.of(TrainKeypointModel.class, PreviewTrainingSamples.class)) {
				assertEquals(List.of(Architecture.LABELS), context.service(CommandService.class).getCommand(command)
					.getInput("architecture").getChoices(), command.getSimpleName());
			}
		}
	}
}
