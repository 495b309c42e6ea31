package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keypointj.KeypointException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MacroOptionsTest {

	@Test
	void parsesKeysValuesBracketsQuotesAndFlags() {
		final Map<String, String> options = MacroOptions.parse(
			"model=[/my models/a [v2].zip] all_slices region=[whole image] device=cpu title='a b' empty=[]");
		assertEquals("/my models/a [v2].zip", options.get("model"));
		assertEquals("true", options.get("all_slices"));
		assertEquals("whole image", options.get("region"));
		assertEquals("cpu", options.get("device"));
		assertEquals("a b", options.get("title"));
		assertEquals("", options.get("empty"));
		assertEquals(6, options.size());
	}

	@Test
	void keysAreExactNotSubstrings() {
		final Map<String, String> options = MacroOptions.parse("show_table=false");
		assertEquals(null, options.get("table"));
		assertEquals("false", options.get("show_table"));
	}

	@Test
	void anUnclosedBracketIsNamed() {
		final KeypointException e = assertThrows(KeypointException.class, () -> MacroOptions.parse("model=[/a b"));
		assertEquals("The macro options have an unclosed '[' after model=.", e.getMessage());
	}

	@Test
	void formatsAsTheRecorderDoes() {
		assertEquals("region=[whole image]", MacroOptions.format("region", "whole image"));
		assertEquals("device=cpu", MacroOptions.format("device", "cpu"));
		assertEquals("csv_file=[]", MacroOptions.format("csv_file", ""));
	}
}
