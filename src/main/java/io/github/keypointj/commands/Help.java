package io.github.keypointj.commands;

import java.util.Locale;

import org.scijava.ItemVisibility;
import org.scijava.module.ModuleItem;

/**
 * The help line at the foot of each KeypointJ dialog: a link to the README's section on the command and
 * one to its macro keys. Fiji's dialogs show a message parameter as HTML and open its links in the
 * browser; KeypointJ's launcher gives its dialogs a Help button with the README link.
 */
public final class Help {

	/** The project's pages (the pom's url): the README, and the docs folder beside it. */
	static final String PROJECT = "https://github.com/keypointj/keypointj";

	private Help() {}

	/**
	 * The value of a command's help parameter, declared as
	 * {@code @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)}.
	 *
	 * @param readmeSection a second-level heading of README.md, e.g. "Training"
	 * @param commandTitle the command's menu title, its heading in docs/MACROS.md
	 */
	public static String link(final String readmeSection, final String commandTitle) {
		return "<html>Help: <a href=\"" + readme(readmeSection) + "\">" + readmeSection + "</a> in the README; " +
			"<a href=\"" + PROJECT + "/blob/main/docs/MACROS.md#" + anchor(commandTitle) + "\">macro keys</a>";
	}

	/** The README section's address, where GitHub shows it. */
	static String readme(final String section) {
		return PROJECT + "#" + anchor(section);
	}

	/** The first link of a help line: the README section. */
	public static String readmeOf(final String helpLine) {
		final int start = helpLine.indexOf("href=\"") + "href=\"".length();
		return helpLine.substring(start, helpLine.indexOf('"', start));
	}

	/** Whether a parameter is a dialog's text rather than a value a user or macro sets. */
	public static boolean isMessage(final ModuleItem<?> item) {
		return item.getVisibility() == ItemVisibility.MESSAGE;
	}

	/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
	static String anchor(final String heading) {
		return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
	}
}
