package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.ImagePlus;
import io.github.keypointj.TestImages;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.nets.Architecture;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ObjectScaleTest {

	/** Issue 27, case 3: an 896-pixel frame at 128 leaves a 120-pixel mouse 17 network pixels long, silently. */
	@Test
	void wholeFramesSayHowSmallTheObjectsBecome() {
		final ImagePlus frames = TestImages.stack("8-bit", 896, 896, 4);
		final List<PlaneKeypoints> mice = new ArrayList<>();
		for (int plane = 1; plane <= 4; plane++) {
			final double x = 100 * plane;
			// nose, two ears 21 pixels apart, tail base 120 pixels behind the nose
			mice.add(new PlaneKeypoints(PlanePosition.of(frames, plane), CropBox.wholeImage(896, 896),
				new double[] { x, x + 20, x + 20, x + 120 }, new double[] { 300, 290, 311, 300 }));
		}
		final AnnotatedStack stack = new AnnotatedStack(frames, mice, List.of("nose", "left ear", "right ear", "tail"), 0,
			null);
		final ModelDescription whole = ModelDescription.of("mice", Architecture.FACE_NET, 128, 128, stack.keypointNames());
		assertEquals("FaceNet sees each whole 896x896 plane at 128x128 (7.0 x 7.0 image pixels a network pixel). In the " +
			"network's 128x128 input the points of an object span 17 x 3 pixels, the closest two 3.0 pixels apart " +
			"(medians). That is small for a network to tell the points apart: draw a rectangle around the object on each " +
			"plane (Image > Overlay > Add Selection) to train on crops around it, crop the frames to the object, or give a " +
			"larger input_width and input_height.", ObjectScale.describe(stack, List.of(0, 1, 2, 3), whole));

		// cropped around the points' box (1.4 times its longer side), the same mice fill the input
		final ModelDescription boxed = ModelDescription.of("mice", Architecture.HEATMAP_NET, 128, 128,
			stack.keypointNames());
		assertEquals(CropRecipe.squareAroundBox(1.4), boxed.crop());
		assertNull(ObjectScale.describe(stack.withObjectBoxes(), List.of(0, 1, 2, 3), boxed));
	}
}
