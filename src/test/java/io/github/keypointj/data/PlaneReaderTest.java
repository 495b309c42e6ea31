package io.github.keypointj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.StackConverter;
import io.github.keypointj.TestImages;

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

	/**
	 * Issue 27, case 6: 16-bit frames were scaled their own way (43.9 px where the same frames as 8-bit gave
	 * 29.7) and refused by RGB models. Now a 16- or 32-bit plane is read exactly as its 8-bit conversion, by
	 * the display range, for gray and RGB models alike.
	 */
	@Test
	void sixteenAndThirtyTwoBitAreReadAsTheirEightBitConversion() {
		for (final String type : new String[] { "16-bit", "32-bit" }) {
			final ImagePlus image = TestImages.stack(type, 40, 30, 2);
			image.setDisplayRange(image.getDisplayRangeMin() + 10, image.getDisplayRangeMax() - 20);
			final ImagePlus eightBit = image.duplicate();
			eightBit.setDisplayRange(image.getDisplayRangeMin(), image.getDisplayRangeMax());
			new StackConverter(eightBit).convertToGray8();
			for (final int channels : new int[] { 1, 3 }) {
				final float[][] read = PlaneReader.read(image, 2, channels);
				assertEquals(channels, read.length);
				assertArrayEquals(PlaneReader.read(eightBit, 2, 1)[0], read[channels - 1], 0f, type + ", " + channels);
			}
			assertTrue(PlaneReader.scalingNote(image).startsWith("'" + image.getTitle() + "' is " + type + ": its planes " +
				"are read as Image > Type > 8-bit would make them, by the display range "), PlaneReader.scalingNote(image));
		}
		assertNull(PlaneReader.scalingNote(TestImages.stack("8-bit", 4, 4, 1)));
	}
}
