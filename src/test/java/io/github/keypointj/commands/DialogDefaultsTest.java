package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import io.github.keypointj.nets.Architecture;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

/** Where a dialog starts: from what is on screen, but never over a value a macro or script has set. */
class DialogDefaultsTest {

	private static Context context;

	@BeforeAll
	static void setUp() {
		context = new Context(CommandService.class, ModuleService.class);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	@Test
	void detectStartsAtTheSelectionTheUserDrew() {
		assertEquals("selection", startedDetect(new Roi(10, 10, 40, 30), false));
		// a point selection is no region to search, and a macro's region stays as given
		assertEquals("whole image", startedDetect(new PointRoi(20, 20), false));
		assertEquals("whole image", startedDetect(null, false));
		assertEquals("whole image", startedDetect(new Roi(10, 10, 40, 30), true));
	}

	@Test
	void trainShowsTheChosenArchitecturesValuesAndKeepsTypedOnes() throws Exception {
		final Module train = module(TrainKeypointModel.class);
		start(train);
		assertEquals(List.of(80, 60, 25, 1), sizeEpochsBatch(train));
		pick(train, "FaceNet");
		assertEquals(values(Architecture.FACE_NET), sizeEpochsBatch(train));
		train.setInput("epochs", 50); // typed by the user: no other architecture replaces it
		pick(train, "ResNet18");
		assertEquals(List.of(224, 224, 50, 32), sizeEpochsBatch(train));
		pick(train, "HeatmapNet");
		assertEquals(List.of(128, 128, 50, 32), sizeEpochsBatch(train));
	}

	@Test
	void aScriptsTrainingValuesAreNotReplaced() {
		final Module train = module(TrainKeypointModel.class);
		train.setInput("architecture", "FaceNet");
		train.resolveInput("architecture");
		start(train);
		// 0, the architecture's, as the script asked
		assertEquals(List.of(0, 0, 0, 0), sizeEpochsBatch(train));
	}

	private static String startedDetect(final Roi selection, final boolean regionSetByMacro) {
		final ImagePlus image = new ImagePlus("photo", new ByteProcessor(100, 80));
		image.setRoi(selection);
		final Module detect = module(DetectKeypoints.class);
		detect.setInput("imp", image);
		detect.resolveInput("imp");
		if (regionSetByMacro) detect.resolveInput("region");
		start(detect);
		return (String) detect.getInput("region");
	}

	private static Module module(final Class<? extends Command> command) {
		return context.service(ModuleService.class).createModule(context.service(CommandService.class).getCommand(
			command));
	}

	/** What {@link DialogDefaultsPreprocessor} does before Fiji's dialog (it does nothing headless). */
	private static void start(final Module module) {
		((DialogDefaults) module.getDelegateObject()).startDialog(name -> !module.isInputResolved(name));
	}

	/** The user picks another architecture in the dialog: SciJava calls the input's callback. */
	private static void pick(final Module train, final String architecture) throws Exception {
		train.setInput("architecture", architecture);
		train.getInfo().getInput("architecture").callback(train);
	}

	private static List<Object> sizeEpochsBatch(final Module train) {
		return List.of(train.getInput("input_width"), train.getInput("input_height"), train.getInput("epochs"), train
			.getInput("batch_size"));
	}

	private static List<Object> values(final Architecture architecture) {
		return List.of(architecture.defaultWidth(), architecture.defaultHeight(), architecture.defaultEpochs(),
			architecture.defaultBatch());
	}
}
