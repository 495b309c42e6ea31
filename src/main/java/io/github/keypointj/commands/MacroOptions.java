package io.github.keypointj.commands;

import io.github.keypointj.KeypointException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options string of an ImageJ macro call, {@code run("Command", "key=value key=[a value] flag")},
 * as a map from key to value. A bare key (ImageJ's way of recording a ticked checkbox) maps to
 * "true". Keys are exact: unlike a substring search, "table" never matches "show_table".
 */
public final class MacroOptions {

	private MacroOptions() {}

	public static Map<String, String> parse(final String options) {
		final Map<String, String> values = new LinkedHashMap<>();
		if (options == null) return values;
		int i = 0;
		final int n = options.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(options.charAt(i))) i++;
			if (i >= n) break;
			final int keyStart = i;
			while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i))) i++;
			final String key = options.substring(keyStart, i);
			if (i >= n || options.charAt(i) != '=') {
				values.put(key, "true");
				continue;
			}
			i++; // '='
			final String value;
			if (i < n && options.charAt(i) == '[') {
				final int close = matchingBracket(options, i);
				if (close < 0) throw new KeypointException("The macro options have an unclosed '[' after " + key + "=.");
				value = options.substring(i + 1, close);
				i = close + 1;
			}
			else if (i < n && options.charAt(i) == '\'') {
				final int close = options.indexOf('\'', i + 1);
				if (close < 0) throw new KeypointException("The macro options have an unclosed quote after " + key + "=.");
				value = options.substring(i + 1, close);
				i = close + 1;
			}
			else {
				final int valueStart = i;
				while (i < n && !Character.isWhitespace(options.charAt(i))) i++;
				value = options.substring(valueStart, i);
			}
			values.put(key, value);
		}
		return values;
	}

	private static int matchingBracket(final String text, final int open) {
		int depth = 0;
		for (int i = open; i < text.length(); i++) {
			if (text.charAt(i) == '[') depth++;
			else if (text.charAt(i) == ']' && --depth == 0) return i;
		}
		return -1;
	}

	/** A value as ImageJ records it: in brackets when it has spaces (or is empty). */
	public static String format(final String key, final String value) {
		final boolean bracket = value.isEmpty() || value.chars().anyMatch(Character::isWhitespace);
		return key + "=" + (bracket ? "[" + value + "]" : value);
	}
}
