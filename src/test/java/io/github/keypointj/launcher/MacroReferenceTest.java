package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.commands.MacroOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.Context;

class MacroReferenceTest {

	@Test
	void theReferenceInDocsIsWhatTheCommandsDeclare() throws IOException {
		try (Context context = new Context()) {
			final String generated = MacroReference.markdown(context);
			final String stored = Files.readString(Paths.get("docs", "MACROS.md"), StandardCharsets.UTF_8);
			assertEquals(generated, stored, "docs/MACROS.md is out of date: regenerate it with " +
				"java -cp ... io.github.keypointj.launcher.MacroReference docs/MACROS.md");
			for (final String command : ImageJ1Commands.keypointCommands(context).keySet()) {
				final String title = command.substring(command.lastIndexOf('>') + 1);
				assertTrue(generated.contains("\n## " + title + "\n"), title + " is missing");
			}
		}
	}

	@Test
	void everyDocumentedLineFillsItsCommandWithoutADialog() {
		try (Context context = new Context()) {
			final org.scijava.command.CommandService commands = context.service(org.scijava.command.CommandService.class);
			final org.scijava.module.ModuleService modules = context.service(org.scijava.module.ModuleService.class);
			final String reference = MacroReference.markdown(context);
			final java.util.List<String> logged = new java.util.ArrayList<>();
			for (final Map.Entry<String, String> entry : ImageJ1Commands.keypointCommands(context).entrySet()) {
				final org.scijava.command.CommandInfo info = commands.getCommand(entry.getValue());
				final String line = exampleOf(reference, info.getTitle());
				final String options = line.substring(line.indexOf("\", \"") + 4, line.lastIndexOf("\");"));
				final org.scijava.module.Module module = modules.createModule(info);
				final String before = ij.IJ.getLog() == null ? "" : ij.IJ.getLog();
				CommandBridge.fillFromMacro(context, module, options);
				final String after = ij.IJ.getLog() == null ? "" : ij.IJ.getLog();
				if (after.length() > before.length()) logged.add(after.substring(before.length()));
				for (final Map.Entry<String, String> option : MacroOptions.parse(options).entrySet()) {
					final Object value = module.getInput(option.getKey());
					final String expected = option.getValue();
					// an empty value ("csv_file=[]") leaves an optional File null and an optional text empty
					final String actual = value == null || value.toString().isEmpty() ? null : value.toString();
					assertEquals(expected.isEmpty() ? null : expected, actual, info.getTitle() + " " + option.getKey());
					assertTrue(module.isInputResolved(option.getKey()), option.getKey() + " would still be asked for");
				}
			}
			assertTrue(logged.stream().noneMatch(text -> text.contains("is not a key")), logged.toString());
		}
	}

	private static String exampleOf(final String reference, final String title) {
		final String section = reference.substring(reference.indexOf("\n## " + title + "\n"));
		return section.substring(section.indexOf("run(\""), section.indexOf("\n", section.indexOf("run(\"")));
	}

	@Test
	void everyExampleLineParsesBackToItsDefaults() {
		try (Context context = new Context()) {
			final String reference = MacroReference.markdown(context);
			int examples = 0;
			for (final String line : reference.split("\n")) {
				if (!line.startsWith("run(\"")) continue;
				examples++;
				final String options = line.substring(line.indexOf("\", \"") + 4, line.lastIndexOf("\");"));
				final Map<String, String> parsed = MacroOptions.parse(options);
				for (final Map.Entry<String, String> entry : parsed.entrySet()) {
					assertTrue(reference.contains("| `" + entry.getKey() + "` |"), entry.getKey() + " has no row");
				}
				if (parsed.containsKey("region")) assertEquals("whole image", parsed.get("region"));
			}
			assertEquals(ImageJ1Commands.keypointCommands(context).size(), examples);
		}
	}
}
