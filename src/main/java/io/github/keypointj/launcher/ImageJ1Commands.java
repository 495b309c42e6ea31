package io.github.keypointj.launcher;

import ij.IJ;
import ij.Menus;
import io.github.keypointj.ImageJLegacy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.MenuEntry;

/**
 * Puts KeypointJ's SciJava commands into ImageJ 1.x's command table (and its Plugins>KeypointJ menu
 * when there is a menu bar), so that {@code run("Detect Keypoints", ...)} works in plain ImageJ 1.x.
 * <p>
 * In Fiji, imagej-legacy already does this for every SciJava command: there, {@link #install} does
 * nothing, so no menu entry appears twice.
 */
public final class ImageJ1Commands {

	static final String MENU_ROOT = "Plugins>KeypointJ>";

	private static final Pattern PROPS_COMMAND = Pattern.compile("^[a-z0-9_]+=\"([^\"]+)\",(.+)$");

	private ImageJ1Commands() {}

	/** Whether imagej-legacy, and so Fiji's own bridge, is there. */
	public static boolean legacyPresent() {
		return ImageJLegacy.present();
	}

	/**
	 * Registers KeypointJ's commands with ImageJ 1.x, unless imagej-legacy is present.
	 *
	 * @return the number of commands registered
	 */
	public static int install(final Context context) {
		return install(context, legacyPresent());
	}

	static int install(final Context context, final boolean legacyPresent) {
		if (legacyPresent) return 0;
		CommandBridge.useContext(context);
		final Map<String, String> commands = keypointCommands(context);
		final Hashtable<String, String> table = commandTable();
		for (final Map.Entry<String, String> command : commands.entrySet()) {
			final String menu = command.getKey().substring(0, command.getKey().lastIndexOf('>'));
			final String label = command.getKey().substring(menu.length() + 1);
			final String plugin = CommandBridge.class.getName() + "(\"" + command.getValue() + "\")";
			if (Menus.getMenuBar() != null && !table.containsKey(label)) Menus.add(command.getKey(), plugin);
			table.put(label, plugin);
		}
		return commands.size();
	}

	/** Menu path (ImageJ 1.x style, "Plugins>KeypointJ>Detect Keypoints") to command class, for every KeypointJ command. */
	static Map<String, String> keypointCommands(final Context context) {
		final Map<String, String> commands = new LinkedHashMap<>();
		for (final CommandInfo info : context.service(CommandService.class).getCommands()) {
			if (info.getMenuPath() == null || info.getMenuPath().isEmpty()) continue;
			final StringBuilder path = new StringBuilder();
			for (final MenuEntry entry : info.getMenuPath()) {
				if (path.length() > 0) path.append('>');
				path.append(entry.getName());
			}
			if (path.toString().startsWith(MENU_ROOT)) commands.put(path.toString(), info.getClassName());
		}
		return commands;
	}

	/**
	 * ImageJ 1.x's command table. Without a display ImageJ cannot build its menus, and so has no table:
	 * then one is made from the commands listed in ij.jar's IJ_Props.txt (those that need no dialog
	 * work headless), as Fiji's headless mode does by patching.
	 */
	@SuppressWarnings("unchecked")
	private static Hashtable<String, String> commandTable() {
		Hashtable<String, String> table = Menus.getCommands();
		if (table != null) return table;
		table = builtInCommands();
		try {
			final Field field = Menus.class.getDeclaredField("pluginsTable");
			field.setAccessible(true);
			field.set(null, table);
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			throw new IllegalStateException("This ImageJ 1.x version has no command table to extend", e);
		}
		return table;
	}

	/**
	 * Commands ImageJ 1.x's Menus adds in code, not from IJ_Props.txt: without them a headless macro's
	 * {@code run("8-bit")} was "Unrecognized command", shown as a bare HeadlessException (issue 27).
	 * These are the ones that work without a display (Menus.java of ImageJ 1.54), besides {@link #IMAGE_TYPES}.
	 */
	static final Map<String, String> MENU_COMMANDS = Map.ofEntries(
		Map.entry("Close", "ij.plugin.Commands(\"close\")"), Map.entry("Close All", "ij.plugin.Commands(\"close-all\")"),
		Map.entry("Save", "ij.plugin.Commands(\"save\")"), Map.entry("Revert", "ij.plugin.Commands(\"revert\")"),
		Map.entry("Clear", "ij.plugin.filter.Filler(\"clear\")"),
		Map.entry("Clear Outside", "ij.plugin.filter.Filler(\"outside\")"),
		Map.entry("Fill", "ij.plugin.filter.Filler(\"fill\")"), Map.entry("Draw", "ij.plugin.filter.Filler(\"draw\")"),
		Map.entry("Invert", "ij.plugin.filter.Filters(\"invert\")"),
		Map.entry("Properties...", "ij.plugin.filter.ImageProperties"), Map.entry("Crop", "ij.plugin.Resizer(\"crop\")"),
		Map.entry("Duplicate...", "ij.plugin.Duplicator"), Map.entry("Rename...", "ij.plugin.SimpleCommands(\"rename\")"),
		Map.entry("Scale...", "ij.plugin.Scaler"), Map.entry("Smooth", "ij.plugin.filter.Filters(\"smooth\")"),
		Map.entry("Sharpen", "ij.plugin.filter.Filters(\"sharpen\")"),
		Map.entry("Find Edges", "ij.plugin.filter.Filters(\"edge\")"),
		Map.entry("Find Maxima...", "ij.plugin.filter.MaximumFinder"),
		Map.entry("Enhance Contrast...", "ij.plugin.ContrastEnhancer"),
		Map.entry("Image Calculator...", "ij.plugin.ImageCalculator"),
		Map.entry("Subtract Background...", "ij.plugin.filter.BackgroundSubtracter"),
		Map.entry("Measure", "ij.plugin.filter.Analyzer"),
		Map.entry("Analyze Particles...", "ij.plugin.filter.ParticleAnalyzer"),
		Map.entry("Summarize", "ij.plugin.filter.Analyzer(\"sum\")"),
		Map.entry("Clear Results", "ij.plugin.filter.Analyzer(\"clear\")"),
		Map.entry("Set Measurements...", "ij.plugin.filter.Analyzer(\"set\")"),
		Map.entry("Set Scale...", "ij.plugin.filter.ScaleDialog"));

	/** Image>Type's conversions, each ij.plugin.Converter with the type as its argument. */
	static final List<String> IMAGE_TYPES = List.of("8-bit", "16-bit", "32-bit", "8-bit Color", "RGB Color",
		"RGB Stack", "HSB Stack", "HSB (32-bit)", "Lab Stack");

	private static Hashtable<String, String> builtInCommands() {
		final Hashtable<String, String> table = new Hashtable<>(MENU_COMMANDS);
		for (final String type : IMAGE_TYPES) table.put(type, "ij.plugin.Converter(\"" + type + "\")");
		try (InputStream in = IJ.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) return table;
			final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				final Matcher matcher = PROPS_COMMAND.matcher(line.trim());
				if (!matcher.matches()) continue;
				// "Image...[n]": the part in brackets is a keyboard shortcut
				final String label = matcher.group(1).replaceFirst("\\[.*\\]$", "");
				table.put(label, matcher.group(2));
			}
		}
		catch (final IOException e) {
			// Only the built-in commands are missing; KeypointJ's own still get registered.
		}
		return table;
	}
}
