package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.model.Normalization;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InputSamplerTest {

	@Test
	void sameSizeSamplingCopiesThePixelsAndNormalises() {
		final float[] plane = new float[6 * 4];
		for (int i = 0; i < plane.length; i++) plane[i] = i / 24f;
		final float[] input = new float[plane.length];
		InputSampler.sample(new float[][] { plane }, 6, 4, CropBox.wholeImage(6, 4).inputToImage(6, 4), 6, 4, input, 0);
		Normalization.centered(1).normalize(input, 0, input.length);
		for (int i = 0; i < plane.length; i++) assertEquals(plane[i] - 0.5f, input[i], 1e-6);
	}

	@Test
	void reducingAveragesTheAreaAnInputPixelCovers() {
		// 8x8 image of 2x2 blocks with values 0, 1, 2, 3 in each block: a 2x reduction gives the block means.
		final float[] plane = new float[64];
		for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) plane[y * 8 + x] = (x % 2) + 2 * (y % 2);
		final float[] input = new float[16];
		InputSampler.sample(new float[][] { plane }, 8, 8, CropBox.wholeImage(8, 8).inputToImage(4, 4), 4, 4, input, 0);
		final float[] expected = new float[16];
		java.util.Arrays.fill(expected, 1.5f);
		assertArrayEquals(expected, input, 1e-5f);
	}

	@Test
	void outsideTheImageIsBlack() {
		final float[] plane = new float[16];
		java.util.Arrays.fill(plane, 1f);
		final float[] input = new float[16];
		// A crop twice the image's size centred on it: the border input pixels fall outside.
		final CropBox crop = CropBox.forObject(CropBox.wholeImage(4, 4), CropRecipe.squareAroundBox(2));
		InputSampler.sample(new float[][] { plane }, 4, 4, crop.inputToImage(4, 4), 4, 4, input, 0);
		assertEquals(0f, input[0], 1e-6);
		assertEquals(1f, input[5], 1e-6);
	}

	@Test
	void aDotIsFoundWherePointsMapIt() {
		// A bright dot at image pixel (412, 97) of 640x480; sampled to 80x60 through a box crop,
		// the brightest input pixel maps back to within one source pixel of the dot.
		final int width = 640, height = 480;
		final float[] plane = new float[width * height];
		for (int dy = -3; dy <= 3; dy++) for (int dx = -3; dx <= 3; dx++) plane[(97 + dy) * width + 412 + dx] = 1f;
		final CropBox crop = CropBox.forObject(new CropBox(300, 40, 200, 150), CropRecipe.squareAroundBox(1.5));
		final AffineTransform toImage = crop.inputToImage(80, 60);
		final float[] input = new float[80 * 60];
		InputSampler.sample(new float[][] { plane }, width, height, toImage, 80, 60, input, 0);
		int brightest = 0;
		for (int i = 1; i < input.length; i++) if (input[i] > input[brightest]) brightest = i;
		final Point2D found = toImage.transform(new Point2D.Double(brightest % 80, brightest / 80), null);
		final double pixel = Math.max(crop.width() / 80, crop.height() / 60);
		assertEquals(412, found.getX(), pixel);
		assertEquals(97, found.getY(), pixel);
	}

	@Test
	void cropsAreSquaresAroundTheBoxOrTheRegionItself() {
		final CropBox box = new CropBox(10, 20, 40, 20);
		assertEquals(box, CropBox.forObject(box, CropRecipe.wholeRegion()));
		assertEquals(new CropBox(-10, -10, 80, 80), CropBox.forObject(box, CropRecipe.squareAroundBox(2)));
	}

	@Test
	void inputPixelCentresMapToTheCentresOfTheAreaTheyCover() {
		// Input pixel 0 of a 4-wide input over a 40-wide crop starting at 100 covers [100, 110): centre 105
		// in area coordinates, i.e. ImageJ pixel coordinate 104.5.
		final Point2D p = new CropBox(100, 0, 40, 40).inputToImage(4, 4).transform(new Point2D.Double(0, 0), null);
		assertEquals(104.5, p.getX(), 1e-9);
		assertEquals(4.5, p.getY(), 1e-9);
	}

	/** Channels are sampled together (one position for all); each must come out as if sampled alone. */
	@Test
	void everyChannelIsSampledAsIfItWereAlone() {
		final Random random = new Random(9);
		final int width = 50, height = 40;
		final float[][] rgb = new float[3][width * height];
		for (final float[] channel : rgb) {
			for (int i = 0; i < channel.length; i++) channel[i] = random.nextFloat();
		}
		// Rotated, shrunk 2.5x (several sub-samples) and partly outside the plane (the bounds-checked path).
		final AffineTransform inputToImage = new AffineTransform();
		inputToImage.translate(30, 15);
		inputToImage.rotate(0.3);
		inputToImage.scale(2.5, 2.5);
		inputToImage.translate(-8, -6);
		final int inputWidth = 16, inputHeight = 12, planeSize = inputWidth * inputHeight;
		final float[] together = new float[3 * planeSize];
		InputSampler.sample(SourcePlane.of(rgb, width, height), inputToImage, inputWidth, inputHeight, together, 0);
		int inside = 0, outside = 0;
		for (int c = 0; c < 3; c++) {
			final float[] alone = new float[planeSize];
			InputSampler.sample(SourcePlane.of(new float[][] { rgb[c] }, width, height), inputToImage, inputWidth,
				inputHeight, alone, 0);
			for (int i = 0; i < planeSize; i++) {
				assertEquals(alone[i], together[c * planeSize + i], "channel " + c +
					", pixel " + i);
				if (alone[i] == 0) outside++;
				else inside++;
			}
		}
		assertTrue(inside > 0 && outside > 0, inside + " inside, " + outside + " outside");
	}
}
