package io.github.keypointj.launcher;

import ij.ImagePlus;
import io.github.keypointj.commands.MacroCall;
import io.github.keypointj.commands.MacroOptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * The macro reference (docs/MACROS.md), written from the commands themselves: every key, its default
 * and its choices are what the code declares, so the reference cannot drift from it (a test compares).
 * <p>
 * {@code java -cp ... io.github.keypointj.launcher.MacroReference docs/MACROS.md}
 */
public final class MacroReference {

	private MacroReference() {}

	public static void main(final String[] args) throws IOException {
		final Path target = Paths.get(args.length > 0 ? args[0] : "docs/MACROS.md");
		try (Context context = new Context()) {
			Files.writeString(target, markdown(context), StandardCharsets.UTF_8);
		}
	}

	public static String markdown(final Context context) {
		final StringBuilder text = new StringBuilder();
		text.append("# Macro reference\n\n")
			.append("Every KeypointJ command with all its macro keys, as `run(\"Command\", \"key=value ...\")`. Keys are the\n")
			.append("parameter names; values with spaces go in brackets; a key left out takes the default shown (KeypointJ\n")
			.append("does not reuse a previous run's value, except for `model`, which Fiji remembers). The Macro Recorder\n")
			.append("writes the same lines. Generated from the code by `io.github.keypointj.launcher.MacroReference`\n")
			.append("(a test fails when this file is out of date).\n");
		final CommandService commands = context.service(CommandService.class);
		final ModuleService modules = context.service(ModuleService.class);
		for (final Map.Entry<String, String> entry : new TreeMap<>(ImageJ1Commands.keypointCommands(context)).entrySet()) {
			final CommandInfo info = commands.getCommand(entry.getValue());
			final Module module = modules.createModule(info);
			text.append("\n## ").append(info.getTitle()).append("\n\n");
			text.append("Menu: `").append(entry.getKey().replace(">", " > ")).append("`. ");
			if (info.getDescription() != null && !info.getDescription().isEmpty()) text.append(info.getDescription())
				.append('.');
			text.append('\n');
			final List<String> keys = new ArrayList<>();
			final StringBuilder rows = new StringBuilder();
			boolean usesImage = false;
			for (final ModuleItem<?> input : info.inputs()) {
				if (!MacroCall.isUserInput(input)) continue;
				if (input.getType() == ImagePlus.class) {
					usesImage = true;
					continue;
				}
				final String value = defaultText(input, module);
				keys.add(MacroOptions.format(input.getName(), value.isEmpty() && input.getType() == File.class ? (input
					.isRequired() ? "/path/to/" + input.getName() : "") : value));
				rows.append("| `").append(input.getName()).append("` | ").append(cell(input.getLabel())).append(" | ")
					.append(value.isEmpty() ? (input.isRequired() ? "(required)" : "(none)") : "`" + value + "`").append(" | ")
					.append(cell(notes(input))).append(" |\n");
			}
			if (usesImage) text.append("Works on the active image.\n");
			if (rows.length() > 0) {
				text.append("\n| key | label | default | values, notes |\n|---|---|---|---|\n").append(rows);
			}
			final List<String> outputs = new ArrayList<>();
			for (final ModuleItem<?> output : info.outputs()) {
				if (output.getIOType() == ItemIO.OUTPUT) outputs.add(output.getName() + " (" + output.getType().getSimpleName() +
					")");
			}
			if (!outputs.isEmpty()) text.append("\nOutputs: ").append(String.join(", ", outputs)).append(".\n");
			text.append("\n```\nrun(\"").append(info.getTitle()).append("\", \"").append(String.join(" ", keys))
				.append("\");\n```\n");
		}
		return text.toString();
	}

	private static String defaultText(final ModuleItem<?> input, final Module module) {
		final Object value = input.getValue(module);
		return value == null ? "" : value.toString();
	}

	private static String notes(final ModuleItem<?> input) {
		final List<String> notes = new ArrayList<>();
		if (input.getChoices() != null && !input.getChoices().isEmpty()) {
			final List<String> choices = new ArrayList<>();
			for (final Object choice : input.getChoices()) choices.add("`" + choice + "`");
			notes.add("one of " + String.join(", ", choices));
		}
		else if (input.getType() == boolean.class || input.getType() == Boolean.class) notes.add("`true` or `false`");
		else if (input.getType() == File.class) notes.add("a file");
		else notes.add(input.getType().getSimpleName().toLowerCase(java.util.Locale.ROOT));
		if (input.getMinimumValue() != null) notes.add("at least " + input.getMinimumValue());
		if (input.getMaximumValue() != null) notes.add("at most " + input.getMaximumValue());
		if (input.getDescription() != null && !input.getDescription().isEmpty()) notes.add(input.getDescription());
		return String.join("; ", notes);
	}

	private static String cell(final String text) {
		return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
	}
}
