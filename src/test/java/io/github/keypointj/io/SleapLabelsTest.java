package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24: SLEAP labels files become annotated stacks. The fixtures (sleap/make_fixtures.py, h5py) are laid out
 * as SLEAP 1.x and sleap-io write them: a mouse skeleton (snout, leftear, rightear, tailbase; the ears a
 * symmetry), two user instances and a predicted one on the first frame, one user instance on the second.
 */
class SleapLabelsTest {


	@TempDir
	Path folder;

	private Path fixture(final String name) throws IOException {
		try (InputStream in = SleapLabelsTest.class.getResourceAsStream("sleap/" + name)) {
			final Path copy = folder.resolve(name);
			Files.copy(in, copy);
			return copy;
		}
	}

	@Test
	void aLabelsPackageGivesItsEmbeddedFramesAndWhatPeopleLabelled() throws IOException {
		final ImportResult result = SleapLabels.read(fixture("mouse.pkg.slp"), true, Progress.NONE);
		final ImagePlus image = result.image();
		assertEquals("mouse", image.getTitle());
		assertEquals(List.of("mouse/img00003.png", "mouse/img00007.png"), labels(image),
			"named after the source movie and the frames' numbers in it");
		assertEquals(List.of("mouse.pkg.slp: 1 predicted instances left out (training learns from what people " +
			"labelled)"), result.skipped());
		assertPoses(AnnotatedStack.read(image, null), 0);
		// SLEAP 1.x stored RGB frames with red and blue swapped: (5, 0) is red 20, green 255, blue 235
		assertEquals(0x14ffeb, image.getStack().getProcessor(1).getPixel(5, 0) & 0xffffff);
	}

	@Test
	void sleapIosPackageReadsTheSame() throws IOException {
		final ImagePlus image = SleapLabels.read(fixture("mouse_sio.pkg.slp"), false, Progress.NONE).image();
		assertEquals(List.of("mouse/img00003.png", "mouse/img00007.png"), labels(image));
		assertPoses(AnnotatedStack.read(image, null), 0);
		assertEquals(20, image.getStack().getProcessor(1).get(5, 0), "the gray ramp: 4x");
		assertEquals(255, image.getStack().getProcessor(2).get(0, 0), "the second frame's white corner");
	}

	/** Image files are looked for where the labeller had them (here a Windows path), then beside the .slp. */
	@Test
	void anImageSequenceIsFoundBesideTheLabels() throws IOException {
		final Path slp = fixture("mouse_images.slp");
		final KeypointException noFrames = assertThrows(KeypointException.class, () -> SleapLabels.read(slp, false,
			Progress.NONE));
		assertEquals("No labelled frames could be read from " + slp + " (C:/Users/lab/mouse/frame0.png: not found where " +
			"it was labelled, nor beside mouse_images.slp; C:/Users/lab/mouse/frame1.png: not found where it was " +
			"labelled, nor beside mouse_images.slp; mouse_images.slp: 1 predicted instances left out (training learns " +
			"from what people labelled)).", noFrames.getMessage());
		fixture("frame0.png");
		fixture("frame1.png");
		final ImagePlus image = SleapLabels.read(slp, false, Progress.NONE).image();
		assertEquals(List.of("mouse/frame0.png", "mouse/frame1.png"), labels(image));
		assertPoses(AnnotatedStack.read(image, null), 0);
		assertEquals(255, image.getStack().getProcessor(2).get(0, 0));
	}

	/** A movie ImageJ reads (a TIFF stack, an AVI) gives its frames. */
	@Test
	void aTiffMovieIsRead() throws IOException {
		final Path slp = fixture("mouse_tif.slp");
		final ij.ImageStack frames = new ij.ImageStack(64, 48);
		for (final String frame : List.of("frame0.png", "frame1.png")) {
			frames.addSlice(ImageFiles.open(fixture(frame)).getProcessor());
		}
		new ij.io.FileSaver(new ImagePlus("mouse", frames)).saveAsTiffStack(folder.resolve("mouse.tif").toString());
		final ImagePlus image = SleapLabels.read(slp, false, Progress.NONE).image();
		assertEquals(List.of("mouse/img00000.png", "mouse/img00001.png"), labels(image));
		assertPoses(AnnotatedStack.read(image, null), 0);
		assertEquals(20, image.getStack().getProcessor(1).get(5, 0));
		assertEquals(255, image.getStack().getProcessor(2).get(0, 0));
	}

	/**
	 * An H.264 .mp4, as most SLEAP videos are, gives its frames in the order they are shown: its frame 1 is
	 * a B-frame, stored after frame 3 (a flat gray). One whose B-frames JCodec would decode wrongly is named,
	 * with the ffmpeg line that converts it.
	 */
	@Test
	void anH264MovieGivesItsFramesAsShown() throws IOException {
		final Path labelled = fixture("mouse_mp4.slp");
		fixture("mouse.mp4"); // beside it, as the labeller's /home/lab/videos is not here
		final ImagePlus image = SleapLabels.read(labelled, false, Progress.NONE).image();
		assertEquals(List.of("mouse/img00000.png", "mouse/img00001.png"), labels(image));
		assertPoses(AnnotatedStack.read(image, null), 0);
		// H.264 is lossy: the ramp's 20 and the noise's white corner within a gray level or two
		assertEquals(20, image.getStack().getProcessor(1).get(5, 0), 2);
		assertEquals(255, image.getStack().getProcessor(2).get(0, 0), 2);
		assertEquals(ImageFiles.open(fixture("frame1.png")).getProcessor().get(40, 30), image.getStack().getProcessor(2)
			.get(40, 30), 2, "a pixel of the noise, not frame 3's flat 90");

		final Path elsewhere = Files.createDirectory(folder.resolve("temporal"));
		final Path slp = Files.copy(labelled, elsewhere.resolve("mouse_mp4.slp"));
		Files.copy(fixture("temporal.mp4"), elsewhere.resolve("mouse.mp4"));
		final String message = assertThrows(KeypointException.class, () -> SleapLabels.read(slp, false, Progress.NONE))
			.getMessage();
		assertTrue(message.startsWith("No labelled frames could be read from " + slp + " (mouse.mp4: not a movie " +
			"KeypointJ decodes (an H.264 video in an .mp4 or .mov file): frame 2 (in storage order) is a B-frame with " +
			"temporal direct prediction"), message);
		assertTrue(message.contains("Convert it (ffmpeg -i in.mp4 -c:v libx264 -pix_fmt yuv420p out.mp4)"), message);
	}

	/** Format 1.0 put (0,0) at the top-left pixel's corner: its points are half a pixel off ImageJ's. */
	@Test
	void formatOnePointZeroCoordinatesAreShiftedToPixelCentres() throws IOException {
		fixture("frame0.png");
		fixture("frame1.png");
		assertPoses(AnnotatedStack.read(SleapLabels.read(fixture("mouse_v10.slp"), false, Progress.NONE).image(), null),
			-0.5);
	}

	@Test
	void filesThatAreNotSleapsAreNamed() throws IOException {
		final Path deepLabCut = folder.resolve("labels.slp");
		try (InputStream in = SleapLabelsTest.class.getResourceAsStream("deeplabcut/CollectedData_me.h5")) {
			Files.copy(in, deepLabCut);
		}
		assertEquals("labels.slp is not a SLEAP labels file: it has no metadata and frames tables.", assertThrows(
			KeypointException.class, () -> SleapLabels.read(deepLabCut, false, Progress.NONE)).getMessage());
		fixture("frame0.png");
		fixture("frame1.png");
		final Path damaged = fixture("mouse_damaged.slp");
		assertEquals("mouse_damaged.slp is damaged: frame row 1 names instances 3-99, the file has 4.", assertThrows(
			KeypointException.class, () -> SleapLabels.read(damaged, false, Progress.NONE)).getMessage());
		final Path text = Files.writeString(folder.resolve("text.slp"), "not HDF5");
		assertTrue(assertThrows(KeypointException.class, () -> SleapLabels.read(text, false, Progress.NONE)).getMessage()
			.startsWith("text.slp is not an HDF5 file jHDF can read (SLEAP labels are): "));
	}

	private static List<String> labels(final ImagePlus image) {
		return IntStream.rangeClosed(1, image.getStackSize()).mapToObj(i -> image.getStack().getSliceLabel(i)).toList();
	}

	/**
	 * The fixtures' user instances, in the skeleton's order (not the file's scrambled global node order), a
	 * node toggled not visible and one never placed missing, the ears' symmetry as the mirror pair.
	 */
	private static void assertPoses(final AnnotatedStack stack, final double shift) {
		assertEquals(List.of("snout", "leftear", "rightear", "tailbase"), stack.keypointNames());
		assertEquals("1-2", stack.mirror().pairs());
		final List<PlaneKeypoints> objects = stack.objects();
		assertEquals(List.of(1, 1, 2), objects.stream().map(o -> o.plane().stackIndex()).toList());
		assertPoints(objects.get(0), shift, 10.5, 20.25, 8, 14, 13, 14, 10.5, 40);
		assertPoints(objects.get(1), shift, 40, 10, 36.5, 5.5, 43.5, 5.5, Double.NaN, Double.NaN);
		assertPoints(objects.get(2), shift, 20, 24, 17, 18, Double.NaN, Double.NaN, 20, 44);
	}

	private static void assertPoints(final PlaneKeypoints object, final double shift, final double... xy) {
		final double[] x = IntStream.range(0, 4).mapToDouble(k -> xy[2 * k] + shift).toArray();
		final double[] y = IntStream.range(0, 4).mapToDouble(k -> xy[2 * k + 1] + shift).toArray();
		assertArrayEquals(x, object.x(), 1e-9);
		assertArrayEquals(y, object.y(), 1e-9);
	}
}
