package io.github.keypointj.launcher;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import io.github.keypointj.KeypointException;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;
import org.scijava.util.Types;

/**
 * Runs a KeypointJ SciJava command from ImageJ 1.x, as imagej-legacy does in Fiji: macro keys are the
 * parameter names, values with spaces in brackets, the image parameter is the active image. A key the
 * macro leaves out takes the parameter's default (never a remembered value), and a key the command
 * does not know is reported rather than silently ignored.
 * <p>
 * Only the launcher installs this (see {@link ImageJ1Commands}); in Fiji it is never used.
 */
public class CommandBridge implements PlugIn {

	private static Context context;

	/** The SciJava context commands run in; the launcher's own, or one a test provides. */
	public static synchronized void useContext(final Context shared) {
		context = shared;
	}

	static synchronized Context context() {
		if (context == null) context = new Context();
		return context;
	}

	private static final AtomicInteger FAILED = new AtomicInteger();

	@Override
	public void run(final String commandClass) {
		final Context ctx = context();
		final CommandInfo info = ctx.service(CommandService.class).getCommand(commandClass);
		if (info == null) {
			IJ.log("KeypointJ error: no command " + commandClass);
			return;
		}
		final ModuleService modules = ctx.service(ModuleService.class);
		final Module module = modules.createModule(info);
		final String options = Macro.getOptions();
		try {
			if (options == null && !IJ.isMacro()) {
				if (!askUser(info, module)) return;
			}
			else fillFromMacro(ctx, info, module, options);
			modules.run(module, true).get();
			// A command that failed cancelled itself with the reason, already in the Log.
			if (module instanceof Cancelable && ((Cancelable) module).isCanceled()) FAILED.incrementAndGet();
			showImageOutputs(info, module);
		}
		catch (final KeypointException e) {
			FAILED.incrementAndGet();
			IJ.log("KeypointJ error: " + e.getMessage());
			if (options == null) IJ.error("KeypointJ", e.getMessage());
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (final ExecutionException e) {
			FAILED.incrementAndGet();
			IJ.log("KeypointJ error: " + info.getTitle() + " failed: " + e.getCause());
		}
	}

	/** How many KeypointJ commands failed so far in this process: the launcher's exit code tells a batch job. */
	static int failures() {
		return FAILED.get();
	}

	/** New images a command made become the active image, as in Fiji (in batch mode: without a window). */
	private static void showImageOutputs(final CommandInfo info, final Module module) {
		for (final ModuleItem<?> output : info.outputs()) {
			if (output.getType() == ImagePlus.class && output.getValue(module) != null) {
				((ImagePlus) output.getValue(module)).show();
			}
		}
	}

	/** Sets every input from the macro options; the image input is the active image. */
	static void fillFromMacro(final Context ctx, final CommandInfo info, final Module module, final String options) {
		final Map<String, String> values = MacroOptions.parse(options);
		final ConvertService convert = ctx.service(ConvertService.class);
		final List<String> known = new ArrayList<>();
		for (final ModuleItem<?> input : info.inputs()) {
			if (!isUserInput(input)) continue;
			final String name = input.getName();
			known.add(name);
			if (input.getType() == ImagePlus.class) {
				module.setInput(name, WindowManager.getCurrentImage());
			}
			else if (values.containsKey(name)) {
				module.setInput(name, convert(convert, input, values.get(name)));
			}
			// else: the value the command's field was initialised with, its documented default
			module.resolveInput(name);
		}
		final List<String> unknown = new ArrayList<>(values.keySet());
		unknown.removeAll(known);
		if (!unknown.isEmpty()) {
			// A misspelled key would run the command with a value the user did not choose: it does not run.
			throw new KeypointException(unknown.stream().map(key -> "'" + key + "'").collect(Collectors.joining(", ")) +
				(unknown.size() == 1 ? " is not a key" : " are not keys") + " of " + info.getTitle() + " (keys: " +
				String.join(", ", known) + "); the command did not run.");
		}
	}

	private static Object convert(final ConvertService convert, final ModuleItem<?> input, final String value) {
		final List<String> choices = choices(input);
		if (!choices.isEmpty() && !choices.contains(value)) {
			throw new KeypointException(input.getName() + ": '" + value + "' is not one of " + String.join(", ",
				choices) + ".");
		}
		if (input.getType() == File.class) return value.isEmpty() ? null : new File(value);
		final Object converted = convert.convert(value, input.getType());
		if (converted == null) {
			throw new KeypointException(input.getName() + ": '" + value + "' is not a valid " +
				input.getType().getSimpleName() + ".");
		}
		return converted;
	}

	@SuppressWarnings("unchecked")
	private static List<String> choices(final ModuleItem<?> input) {
		final List<?> choices = input.getChoices();
		return choices == null ? List.of() : (List<String>) choices;
	}

	/** Inputs the user sets, as opposed to services and the context that SciJava fills in. */
	static boolean isUserInput(final ModuleItem<?> input) {
		return !Service.class.isAssignableFrom(input.getType()) && input.getType() != Context.class;
	}

	/** A plain ImageJ dialog for the inputs; records the macro line when the Recorder is on. */
	private static boolean askUser(final CommandInfo info, final Module module) {
		final GenericDialog dialog = new GenericDialog(info.getTitle());
		final List<ModuleItem<?>> shown = new ArrayList<>();
		for (final ModuleItem<?> input : info.inputs()) {
			if (!isUserInput(input) || input.getType() == ImagePlus.class) continue;
			shown.add(input);
			final Object value = input.getValue(module);
			final String label = input.getLabel() == null ? input.getName() : input.getLabel();
			if (input.getType() == boolean.class || input.getType() == Boolean.class) {
				dialog.addCheckbox(label, Boolean.TRUE.equals(value));
			}
			else if (!choices(input).isEmpty()) {
				dialog.addChoice(label, choices(input).toArray(new String[0]), String.valueOf(value));
			}
			else if (input.getType() == File.class) {
				dialog.addFileField(label, value == null ? "" : value.toString());
			}
			else if (Types.isNumber(input.getType())) {
				dialog.addNumericField(label, value == null ? 0 : ((Number) value).doubleValue(), 4);
			}
			else dialog.addStringField(label, value == null ? "" : value.toString(), 30);
		}
		dialog.showDialog();
		if (dialog.wasCanceled()) return false;
		final List<String> texts = new ArrayList<>();
		for (final ModuleItem<?> input : shown) {
			if (input.getType() == boolean.class || input.getType() == Boolean.class) {
				texts.add(String.valueOf(dialog.getNextBoolean()));
			}
			else if (!choices(input).isEmpty()) texts.add(dialog.getNextChoice());
			else if (Types.isNumber(input.getType())) texts.add(String.valueOf(dialog.getNextNumber()));
			else texts.add(dialog.getNextString());
		}
		// The dialog recorded its labels; record the parameter names instead, every one of them.
		if (Recorder.record) Recorder.resetCommandOptions();
		final StringBuilder options = new StringBuilder();
		for (int i = 0; i < shown.size(); i++) {
			options.append(MacroOptions.format(shown.get(i).getName(), texts.get(i))).append(' ');
			if (Recorder.record) Recorder.recordOption(shown.get(i).getName(), texts.get(i));
		}
		fillFromMacro(context(), info, module, options.toString());
		return true;
	}
}
