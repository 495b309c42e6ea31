package io.github.keypointj.launcher;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import io.github.keypointj.KeypointException;
import io.github.keypointj.commands.DialogDefaults;
import io.github.keypointj.commands.Failures;
import io.github.keypointj.commands.Help;
import io.github.keypointj.commands.MacroCall;
import io.github.keypointj.commands.MacroOptions;

import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.GraphicsEnvironment;
import java.awt.TextField;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.MethodCallException;
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
			// a dialog only for a user at the menu: a macro line without options (run("Keypoints as CSV")) and a
			// headless run have nobody to click it, and headless it would be a HeadlessException
			if (options == null && !IJ.isMacro() && !GraphicsEnvironment.isHeadless()) IJ.error("KeypointJ", e.getMessage());
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
	 * or gives empty is refused, naming it: no dialog asks for it here, and SciJava would cancel silently.
	 */
	static void fillFromMacro(final Context ctx, final Module module, final String options) {
		MacroCall.fill(module, options, ctx.service(ConvertService.class));
		MacroCall.requireValues(module, options, false);
		for (final ModuleItem<?> input : module.getInfo().inputs()) {
			if (!MacroCall.isUserInput(input)) continue;
			if (input.getType() == ImagePlus.class) module.setInput(input.getName(), WindowManager.getCurrentImage());
			module.resolveInput(input.getName());
		}
	}

	/**
	 * A plain ImageJ dialog for the inputs, starting where Fiji's would ({@link DialogDefaults}) and calling
	 * an input's callback when its choice or checkbox changes; records the macro line when the Recorder is on.
	 */
	private static boolean askUser(final CommandInfo info, final Module module) {
		for (final ModuleItem<?> input : info.inputs()) {
			if (input.getType() == ImagePlus.class) module.setInput(input.getName(), WindowManager.getCurrentImage());
		}
		if (module.getDelegateObject() instanceof DialogDefaults command) command.startDialog(name -> true);
		final GenericDialog dialog = new GenericDialog(info.getTitle());
		final List<ModuleItem<?>> shown = new ArrayList<>();
		final Map<ModuleItem<?>, Component> fields = new LinkedHashMap<>();
		for (final ModuleItem<?> input : info.inputs()) {
			if (Help.isMessage(input)) dialog.addHelp(Help.readmeOf(String.valueOf(input.getValue(module))));
			if (!MacroCall.isUserInput(input) || input.getType() == ImagePlus.class) continue;
			shown.add(input);
			final Object value = input.getValue(module);
			final String label = input.getLabel() == null ? input.getName() : input.getLabel();
			if (isBoolean(input)) {
				dialog.addCheckbox(label, Boolean.TRUE.equals(value));
				fields.put(input, (Component) dialog.getCheckboxes().lastElement());
			}
			else if (!MacroCall.choices(input).isEmpty()) {
				dialog.addChoice(label, MacroCall.choices(input).toArray(new String[0]), String.valueOf(value));
				fields.put(input, (Component) dialog.getChoices().lastElement());
			}
			else if (input.getType() == File.class) {
				dialog.addFileField(label, value == null ? "" : value.toString());
			}
			else if (Types.isNumber(input.getType())) {
				dialog.addNumericField(label, value == null ? 0 : ((Number) value).doubleValue(), isWhole(input) ? 0 : 4);
				fields.put(input, (Component) dialog.getNumericFields().lastElement());
			}
			else dialog.addStringField(label, value == null ? "" : value.toString(), 30);
		}
		dialog.addDialogListener((unused, event) -> {
			if (event != null) callBack(module, fields, event.getSource());
			return true;
		});
		dialog.showDialog();
		if (dialog.wasCanceled()) return false;
		final List<String> texts = new ArrayList<>();
		for (final ModuleItem<?> input : shown) {
			if (isBoolean(input)) texts.add(String.valueOf(dialog.getNextBoolean()));
			else if (!MacroCall.choices(input).isEmpty()) texts.add(dialog.getNextChoice());
			else if (Types.isNumber(input.getType())) {
				final double number = dialog.getNextNumber();
				// 25, not 25.0, for a whole-number key; 2.5 stays as typed and MacroCall names it
				texts.add(isWhole(input) && number == Math.rint(number) ? String.valueOf((long) number) : String.valueOf(
					number));
			}
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

	/**
	 * A choice or checkbox changed: its input's callback runs (as in Fiji's dialogs) on the values the dialog
	 * shows, numbers typed so far included, and the numbers it set are shown.
	 */
	private static void callBack(final Module module, final Map<ModuleItem<?>, Component> fields, final Object source) {
		for (final Map.Entry<ModuleItem<?>, Component> changed : fields.entrySet()) {
			if (changed.getValue() != source || changed.getKey().getCallback() == null) continue;
			final ModuleItem<?> input = changed.getKey();
			module.setInput(input.getName(), source instanceof Checkbox box ? box.getState() : ((Choice) source)
				.getSelectedItem());
			for (final Map.Entry<ModuleItem<?>, Component> field : fields.entrySet()) {
				if (field.getValue() instanceof TextField text) typed(module, field.getKey(), text.getText());
			}
			try {
				input.callback(module);
			}
			catch (final MethodCallException e) {
				IJ.log("KeypointJ error: " + e.getMessage());
			}
			for (final Map.Entry<ModuleItem<?>, Component> field : fields.entrySet()) {
				if (field.getValue() instanceof TextField text) text.setText(String.valueOf(field.getKey().getValue(module)));
			}
		}
	}

	/** A number typed into the dialog, into the module; text that is no number of the key's type is left for later. */
	private static void typed(final Module module, final ModuleItem<?> input, final String text) {
		try {
			module.setInput(input.getName(), MacroCall.convert(context().service(ConvertService.class), input, text));
		}
		catch (final KeypointException e) {
			// MacroCall names it when the dialog is closed
		}
	}

	private static boolean isBoolean(final ModuleItem<?> input) {
		return input.getType() == boolean.class || input.getType() == Boolean.class;
	}

	private static boolean isWhole(final ModuleItem<?> input) {
		final Class<?> type = input.getType();
		return type == int.class || type == Integer.class || type == long.class || type == Long.class;
	}
}
