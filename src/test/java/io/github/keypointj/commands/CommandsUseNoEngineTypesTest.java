package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Commands read their parameters, call one entry of the core and show its result (issue 16): no DJL type
 * reaches them. Read from the compiled classes, whose constant pools name every type a class uses,
 * imported or written out in full, its nested and anonymous classes included.
 */
class CommandsUseNoEngineTypesTest {

	@Test
	void noCommandClassRefersToDjl() throws Exception {
		final Path commands = Path.of(DetectKeypoints.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.resolve(DetectKeypoints.class.getPackageName().replace('.', '/'));
		final List<Path> classes;
		try (Stream<Path> files = Files.list(commands)) {
			classes = files.filter(file -> file.getFileName().toString().endsWith(".class")).sorted().toList();
		}
		assertTrue(classes.contains(commands.resolve("EvaluateKeypointModel.class")), "the commands' classes: " + classes);
		assertEquals(List.of(), classes.stream().filter(CommandsUseNoEngineTypesTest::refersToDjl)
			.map(file -> file.getFileName().toString()).toList());
	}

	private static boolean refersToDjl(final Path classFile) {
		try {
			return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("ai/djl/");
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
