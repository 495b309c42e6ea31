package io.github.keypointj.launcher;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import io.github.keypointj.KeypointException;
import io.github.keypointj.commands.Failures;
import io.github.keypointj.commands.MacroCall;
import io.github.keypointj.commands.MacroOptions;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
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
			else fillFromMacro(ctx, module, options);
			// A command that fails reports it (UserFeedback) and cancels itself; ShowOutputsPostprocessor shows its images.
			modules.run(module, true).get();
		}
		catch (final KeypointException e) {
			IJ.log("KeypointJ error: " + e.getMessage());
			Failures.record(e.getMessage());
			if (options == null) IJ.error("KeypointJ", e.getMessage());
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (final ExecutionException e) {
			Failures.record(info.getTitle() + " failed: " + e.getCause());
			IJ.log("KeypointJ error: " + info.getTitle() + " failed: " + e.getCause());
		}
	}

	/**
	 * Sets every input from the macro options by {@link MacroCall}'s rules, as Fiji does through
	 * KeypointJ's preprocessor; the image input is the active image. A required file the macro leaves out
	 * stays empty: the command names it.
	 */
	static void fillFromMacro(final Context ctx, final Module module, final String options) {
		MacroCall.fill(module, options, ctx.service(ConvertService.class));
		for (final ModuleItem<?> input : module.getInfo().inputs()) {
			if (!MacroCall.isUserInput(input)) continue;
			if (input.getType() == ImagePlus.class) module.setInput(input.getName(), WindowManager.getCurrentImage());
			module.resolveInput(input.getName());
		}
	}

	/** A plain ImageJ dialog for the inputs; records the macro line when the Recorder is on. */
	private static boolean askUser(final CommandInfo info, final Module module) {
		final GenericDialog dialog = new GenericDialog(info.getTitle());
		final List<ModuleItem<?>> shown = new ArrayList<>();
		for (final ModuleItem<?> input : info.inputs()) {
			if (!MacroCall.isUserInput(input) || input.getType() == ImagePlus.class) continue;
			shown.add(input);
			final Object value = input.getValue(module);
			final String label = input.getLabel() == null ? input.getName() : input.getLabel();
			if (input.getType() == boolean.class || input.getType() == Boolean.class) {
				dialog.addCheckbox(label, Boolean.TRUE.equals(value));
			}
			else if (!MacroCall.choices(input).isEmpty()) {
				dialog.addChoice(label, MacroCall.choices(input).toArray(new String[0]), String.valueOf(value));
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
			else if (!MacroCall.choices(input).isEmpty()) texts.add(dialog.getNextChoice());
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
		fillFromMacro(context(), module, options.toString());
		return true;
	}
}
