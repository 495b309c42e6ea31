package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

class HelpTest {

	@Test
	void anchorsAreGitHubs() {
		assertEquals("evaluation-and-the-reports-figures", Help.anchor("Evaluation and the report's figures"));
		assertEquals("annotated-stacks-how-a-stack-carries-its-keypoints", Help.anchor(
			"Annotated stacks: how a stack carries its keypoints"));
		assertEquals("imm-face-database", Help.anchor("IMM Face Database..."));
	}

	@Test
	void theProjectAddressIsThePoms() throws Exception {
		final Matcher url = Pattern.compile("<url>(.*?)</url>").matcher(Files.readString(Paths.get("pom.xml")));
		assertTrue(url.find());
		assertEquals(url.group(1), Help.PROJECT);
	}

	/** Every dialog links to a README section and a macro reference section that exist, and help is no macro key. */
	@Test
	void everyDialogLinksToSectionsThatExist() throws Exception {
		final Set<String> readme = anchors(Files.readAllLines(Paths.get("README.md")));
		final Set<String> macros = anchors(Files.readAllLines(Paths.get("docs", "MACROS.md")));
		final Pattern links = Pattern.compile("href=\"([^\"]*)\"");
		try (Context context = new Context(CommandService.class, ModuleService.class)) {
			final List<CommandInfo> commands = context.service(CommandService.class).getCommands().stream()
				.filter(info -> info.getClassName().startsWith("io.github.keypointj.commands.")).toList();
			int withDialogs = 0;
			for (final CommandInfo info : commands) {
				if (MacroCall.keys(info).isEmpty()) continue;
				withDialogs++;
				final ModuleItem<?> help = info.getInput("help");
				assertNotNull(help, info.getTitle() + " has no help line");
				assertTrue(Help.isMessage(help), info.getTitle());
				assertFalse(MacroCall.keys(info).contains("help"), info.getTitle());
				final Module module = context.service(ModuleService.class).createModule(info);
				final String line = (String) help.getValue(module);
				final Matcher link = links.matcher(line);
				assertTrue(link.find(), line);
				assertEquals(link.group(1), Help.readmeOf(line));
				assertTrue(readme.contains(link.group(1).replace(Help.PROJECT + "#", "")), "no README section: " + line);
				assertTrue(link.find(), line);
				assertEquals(Help.PROJECT + "/blob/main/docs/MACROS.md#" + Help.anchor(info.getTitle()), link.group(1));
				assertTrue(macros.contains(Help.anchor(info.getTitle())), "no macro section: " + line);
			}
			assertEquals(13, withDialogs);
		}
	}

	private static Set<String> anchors(final List<String> markdown) {
		return markdown.stream().filter(line -> line.startsWith("## ")).map(line -> Help.anchor(line.substring(3)))
			.collect(Collectors.toSet());
	}
}
