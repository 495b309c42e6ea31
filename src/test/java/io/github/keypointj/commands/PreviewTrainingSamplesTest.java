package io.github.keypointj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.PointRoi;
import io.github.keypointj.TestImages;
import io.github.keypointj.demo.SyntheticSpots;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;

class PreviewTrainingSamplesTest {

	private static Context context;

	@BeforeAll
	static void setUp() {
		context = new Context();
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule preview(final ImagePlus image, final String architecture, final int width) throws Exception {
		return Commands.run(context, PreviewTrainingSamples.class, "imp", image, "architecture", architecture, "input_width",
			width, "input_height", 0, "augment", true, "samples", 12, "seed", 3L);
	}

	/** FaceNet (gray, the whole plane) and HeatmapNet (RGB, a crop around the object, with scale changes). */
	@Test
	void showsAugmentedSamplesWithTheirPointsOnTheFeatures() throws Exception {
		final ImagePlus spots = SyntheticSpots.generate(5, 160, 120, 4).image();
		for (final String architecture : List.of("FaceNet", "HeatmapNet")) {
			final CommandModule module = preview(spots, architecture, 0);
			assertFalse(module.isCanceled(), module.getCancelReason());
			final ImagePlus samples = (ImagePlus) module.getOutput("preview");
			assertEquals(12, samples.getStackSize());
			assertEquals(architecture.equals("FaceNet") ? 160 : 128, samples.getWidth());
			assertEquals(architecture.equals("FaceNet") ? ImagePlus.GRAY8 : ImagePlus.COLOR_RGB, samples.getType(),
				architecture);
			assertEquals(12, samples.getOverlay().size());
			int onDisc = 0;
			for (int i = 0; i < 12; i++) {
				final PointRoi points = (PointRoi) samples.getOverlay().get(i);
				assertEquals(i + 1, points.getPosition());
				final double x = points.getFloatPolygon().xpoints[0];
				final double y = points.getFloatPolygon().ypoints[0];
				// brightness and contrast change the disc's grey, but it stays far above the background
				if (samples.getStack().getProcessor(i + 1).convertToByteProcessor().getInterpolatedValue(x, y) > 120) onDisc++;
			}
			assertTrue(onDisc >= 11, architecture + ": " + onDisc + " of 12 disc points on a bright pixel");
		}
	}

	/** Issue 27, case 7: Preview refused the mirror_pairs Train accepts; it now shows the samples Train makes. */
	@Test
	void mirrorPairsAndKeypointsAreThoseOfTraining() throws Exception {
		final ImagePlus spots = SyntheticSpots.generate(5, 160, 120, 4).image();
		final CommandModule mirrored = Commands.run(context, PreviewTrainingSamples.class, "imp", spots, "architecture",
			"HeatmapNet", "input_width", 0, "input_height", 0, "augment", true, "keypoints", "all", "mirror_pairs", "0-1",
			"samples", 12, "seed", 3L);
		assertFalse(mirrored.isCanceled(), mirrored.getCancelReason());
		final ImagePlus samples = (ImagePlus) mirrored.getOutput("preview");
		int discFirst = 0;
		for (int i = 0; i < 12; i++) {
			final PointRoi points = (PointRoi) samples.getOverlay().get(i);
			final double discness = samples.getStack().getProcessor(i + 1).convertToByteProcessor()
				.getInterpolatedValue(points.getFloatPolygon().xpoints[0], points.getFloatPolygon().ypoints[0]);
			if (discness > 200) discFirst++;
		}
		// a mirrored sample swaps the pair: its point 0 ("disc") is the square's mirror image
		assertTrue(discFirst > 0 && discFirst < 12, discFirst + " of 12 samples with point 0 on the disc");

		final CommandModule one = Commands.run(context, PreviewTrainingSamples.class, "imp", spots, "architecture",
			"HeatmapNet", "input_width", 0, "input_height", 0, "augment", true, "keypoints", "1", "mirror_pairs", "",
			"samples", 4, "seed", 3L);
		assertEquals(1, ((PointRoi) ((ImagePlus) one.getOutput("preview")).getOverlay().get(0)).size(), "only the square");

		final CommandModule wrong = Commands.run(context, PreviewTrainingSamples.class, "imp", spots, "architecture",
			"HeatmapNet", "input_width", 0, "input_height", 0, "augment", true, "keypoints", "all", "mirror_pairs", "0-7",
			"samples", 4, "seed", 3L);
		assertTrue(wrong.getCancelReason().contains("mirror_pairs"), wrong.getCancelReason());
	}

	@Test
	void badChoicesAreNamed() throws Exception {
		final ImagePlus spots = SyntheticSpots.generate(2, 80, 60, 4).image();
		assertTrue(preview(spots, "FaceNet", 90).getCancelReason().contains("FaceNet needs inputs of at least 100x100"));
		assertTrue(preview(spots, "VGG", 0).getCancelReason().contains("architecture: 'VGG' is not one of"));
		assertTrue(preview(TestImages.stack("8-bit", 80, 60, 2), "NoseNet", 0).getCancelReason()
			.contains("no annotated planes"));
	}
}
