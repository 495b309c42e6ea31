package io.github.keypointj.commands;

import java.util.HashMap;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Runs a command as Fiji does, through SciJava's CommandService, with every input given (no stored values). */
final class Commands {

	private Commands() {}

	/** @param inputs name, value, name, value, ...; a later value for the same name wins */
	static CommandModule run(final Context context, final Class<? extends Command> command, final Object... inputs)
		throws Exception
	{
		final Map<String, Object> values = new HashMap<>();
		for (int i = 0; i < inputs.length; i += 2) values.put((String) inputs[i], inputs[i + 1]);
		return context.service(CommandService.class).run(command, true, values).get();
	}
}
