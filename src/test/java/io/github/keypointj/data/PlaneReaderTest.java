package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.keypointj.KeypointException;

import org.junit.jupiter.api.Test;

class PlaneReaderTest {

	@Test
	void rgbGivesChannelsOrLuma() {
		final ColorProcessor color = new ColorProcessor(2, 1);
		color.set(0, 0, (255 << 16) | (0 << 8) | 51);
		final ImagePlus image = new ImagePlus("rgb", color);
		final float[][] rgb = PlaneReader.read(image, 1, 3);
		assertArrayEquals(new float[] { 1f, 0f }, rgb[0], 1e-6f);
		assertArrayEquals(new float[] { 0.2f, 0f }, rgb[2], 1e-6f);
		final float[][] gray = PlaneReader.read(image, 1, 1);
		assertEquals(1, gray.length);
		assertEquals((0.299 * 255 + 0.114 * 51) / 255, gray[0][0], 1e-6);
	}

	@Test
	void eightBitIsScaledBy255AndRepeatedForRgbModels() {
		final ByteProcessor bytes = new ByteProcessor(2, 1, new byte[] { 0, (byte) 255 });
		final float[][] read = PlaneReader.read(new ImagePlus("8-bit", bytes), 1, 3);
		assertEquals(3, read.length);
		assertArrayEquals(new float[] { 0f, 1f }, read[1], 1e-6f);
	}

	@Test
	void sixteenBitUsesTheDisplayRange() {
		final ShortProcessor shorts = new ShortProcessor(3, 1, new short[] { 1000, 2000, 3000 }, null);
		final ImagePlus image = new ImagePlus("16-bit", shorts);
		image.setDisplayRange(1000, 3000);
		assertArrayEquals(new float[] { 0f, 0.5f, 1f }, PlaneReader.read(image, 1, 1)[0], 1e-6f);
	}

	@Test
	void rgbModelsRefuseSixteenBitImagesByName() {
		final ImagePlus image = new ImagePlus("cells.tif", new ShortProcessor(4, 4));
		final KeypointException e = assertThrows(KeypointException.class, () -> PlaneReader.read(image, 1, 3));
		assertTrue(e.getMessage().contains("'cells.tif' is 16-bit"), e.getMessage());
	}
}
