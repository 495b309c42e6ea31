package io.github.keypointj.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.demo.SyntheticSpots;
import io.github.keypointj.model.CropRecipe;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.Normalization;
import io.github.keypointj.nets.Architecture;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SampleBuilderTest {

	/** The target of each keypoint lands on its feature in the network input: pixels and points move together. */
	@Test
	void targetsPointAtTheFeaturesInTheSampledInput() {
		final SyntheticSpots.Data data = SyntheticSpots.generate(20, 160, 120, 5);
		// Box crops around a region that is not the whole plane: scale and shift differ per plane.
		final List<PlaneKeypoints> annotated = new ArrayList<>();
		for (final PlaneKeypoints plane : data.truth()) {
			annotated.add(new PlaneKeypoints(plane.plane(), new CropBox(20, 10, 110, 90), plane.x(), plane.y()));
		}
		final ModelDescription description = new ModelDescription("t", Architecture.NOSE_NET, 96, 72, 1,
			Normalization.identity(1), SyntheticSpots.NAMES, CropRecipe.squareAroundBox(1.6));
		final Samples samples = SampleBuilder.build(data.image(), annotated, description);
		assertEquals(20, samples.count());
		for (int i = 0; i < samples.count(); i++) {
			final float[] input = samples.input(i);
			for (int k = 0; k < 2; k++) {
				final double x = samples.targets()[i * 4 + 2 * k] * 96 - 0.5;
				final double y = samples.targets()[i * 4 + 2 * k + 1] * 72 - 0.5;
				if (x < 2 || y < 2 || x > 93 || y > 69) continue; // feature cut off by the crop
				final float value = input[(int) Math.round(y) * 96 + (int) Math.round(x)];
				// disc 230/255, square 150/255, background at most about 70/255 + noise
				assertTrue(value > (k == 0 ? 0.75 : 0.45), "plane " + i + " point " + k + ": " + value);
			}
		}
	}
}
