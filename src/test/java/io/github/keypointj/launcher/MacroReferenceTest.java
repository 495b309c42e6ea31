package io.github.keypointj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
