package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24 / 27: a DeepLabCut user's labelled frames, as DeepLabCut writes them, become an annotated stack. */
class DeepLabCutLabelsTest {

	/** The labels of CollectedData_me.h5 (made by deeplabcut/make_fixtures.py with pandas), as DeepLabCut's CSV. */
	private static final String SINGLE_ANIMAL = "scorer,,,me,me,me,me,me,me\n" +
		"bodyparts,,,nose,nose,leftear,leftear,tail,tail\n" +
		"coords,,,x,y,x,y,x,y\n" +
		"labeled-data,mouse1,img0.png,10.5,20,14,18,40,30\n" +
		"labeled-data,mouse1,img1.png,11.5,21,,,41,31\n" + // the left ear hidden
		"labeled-data,mouse1,img2.png,12,22,15,19,42,32\n" + // another size
		"labeled-data,mouse1,gone.png,12,22,15,19,42,32\n" + // no such frame
		"labeled-data,mouse1,img3.png,,,,,,\n"; // nothing labelled: a frame without an animal

	/** The labels of CollectedData_ma.h5: two mice and a feeder, the frames as one path (DeepLabCut 2.0-2.1). */
	private static final String SEVERAL_ANIMALS = "scorer,me,me,me,me,me,me,me,me,me,me\n" +
		"individuals,mus1,mus1,mus1,mus1,mus2,mus2,mus2,mus2,single,single\n" +
		"bodyparts,nose,nose,schwänzchen,schwänzchen,nose,nose,schwänzchen,schwänzchen,feeder,feeder\n" +
		"coords,x,y,x,y,x,y,x,y,x,y\n" +
		"labeled-data/cage/img0.png,5,6,20,21,40,41,50,45,30,30\n" +
		"labeled-data/cage/img1.png,7,8,22,23,,,,,30,30\n"; // mus2 out of view

	@TempDir
	Path project;

	private Path video(final String name, final int... widths) throws IOException {
		final Path folder = Files.createDirectories(project.resolve("labeled-data").resolve(name));
		for (int i = 0; i < widths.length; i++) {
			new FileSaver(IJ.createImage("frame", "8-bit ramp", widths[i], 48, 1)).saveAsPng(folder.resolve("img" + i +
				".png").toString());
		}
		return folder;
	}

	/** DeepLabCut 2.2's three index columns; a bodypart not labelled is a missing point in its slot. */
	@Test
	void aSingleAnimalFolderBecomesAStackWithItsHiddenPointsMissing() throws IOException {
		final Path folder = video("mouse1", 64, 64, 80, 64);
		final Path csv = Files.writeString(folder.resolve("CollectedData_me.csv"), SINGLE_ANIMAL);
		final ImportResult result = DeepLabCutLabels.read(csv, false, Progress.NONE);
		final ImagePlus image = result.image();
		assertEquals(3, image.getStackSize());
		assertEquals(List.of("img0.png", "img1.png", "img3.png"), List.of(image.getStack().getSliceLabel(1),
			image.getStack().getSliceLabel(2), image.getStack().getSliceLabel(3)));
		assertEquals(List.of("img2.png: 80x48, not the 64x48 of the first frame (a stack has one size; import each " +
			"video's folder on its own)", "labeled-data/mouse1/gone.png: not found next to CollectedData_me.csv"),
			result.skipped());

		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		assertEquals(List.of("nose", "leftear", "tail"), stack.keypointNames());
		assertEquals(2, stack.objects().size(), "img3 has no animal");
		final PlaneKeypoints second = stack.objects().get(1);
		assertEquals(2, second.plane().stackIndex());
		assertEquals(11.5, second.x()[0], 1e-4);
		assertTrue(Double.isNaN(second.x()[1]) && Double.isNaN(second.y()[1]), "the hidden ear");
		assertEquals(41, second.x()[2], 1e-4);
	}

	/** DeepLabCut 2.0-2.1's one path column, and multi-animal projects with their unique bodyparts. */
	@Test
	void oldPathsAndSeveralAnimalsAreRead(@TempDir final Path elsewhere) throws IOException {
		final Path folder = video("cage", 64, 64);
		final Path old = Files.writeString(folder.resolve("CollectedData_old.csv"),
			"scorer,me,me\nbodyparts,nose,nose\ncoords,x,y\nlabeled-data/cage/img0.png,5,6\nlabeled-data/cage/img1.png,7,8\n");
		assertEquals(2, AnnotatedStack.read(DeepLabCutLabels.read(old, true, Progress.NONE).image(), null).objects().size());
		// the video's folder on its own, away from its project: the frames beside the file, whatever the path says
		final Path moved = Files.createDirectories(elsewhere.resolve("copy"));
		for (final String frame : List.of("img0.png", "img1.png")) Files.copy(folder.resolve(frame), moved.resolve(frame));
		final Path copy = Files.writeString(moved.resolve("CollectedData_old.csv"), Files.readString(old).replace(
			"labeled-data/cage/img1.png", "labeled-data\\cage\\img1.png")); // written on Windows
		assertEquals(2, AnnotatedStack.read(DeepLabCutLabels.read(copy, true, Progress.NONE).image(), null).objects()
			.size());

		final Path multi = Files.writeString(folder.resolve("CollectedData_ma.csv"),
			"scorer,,,me,me,me,me,me,me,me,me,me,me\n" +
			"individuals,,,mus1,mus1,mus1,mus1,mus2,mus2,mus2,mus2,single,single\n" +
			"bodyparts,,,nose,nose,tail,tail,nose,nose,tail,tail,feeder,feeder\n" +
			"coords,,,x,y,x,y,x,y,x,y,x,y\n" +
			"labeled-data,cage,img0.png,5,6,20,21,40,41,50,45,30,30\n" +
			"labeled-data,cage,img1.png,7,8,22,23,,,,,30,30\n"); // mus2 out of view
		final ImportResult result = DeepLabCutLabels.read(multi, true, Progress.NONE);
		final AnnotatedStack stack = AnnotatedStack.read(result.image(), null);
		assertEquals(List.of("nose", "tail"), stack.keypointNames());
		assertEquals(List.of(1, 1, 2), stack.objects().stream().map(o -> o.plane().stackIndex()).toList(),
			"two mice on the first frame, one on the second");
		assertEquals(40, stack.objects().get(1).x()[0], 1e-4);
		assertEquals(List.of("CollectedData_ma.csv: the unique bodyparts (individual 'single') belong to no animal and " +
			"were left out"), result.skipped());
	}

	/** Issue 24: the .h5 DeepLabCut keeps beside its CSV (pandas' HDF5) gives the same stack, points and skips. */
	@Test
	void theH5BesideTheCsvGivesTheSameFramesAndPoints() throws IOException {
		final Path mouse = video("mouse1", 64, 64, 80, 64);
		assertSameImport(Files.writeString(mouse.resolve("CollectedData_me.csv"), SINGLE_ANIMAL),
			fixture("CollectedData_me.h5", mouse));
		final Path cage = video("cage", 64, 64);
		assertSameImport(Files.writeString(cage.resolve("CollectedData_ma.csv"), SEVERAL_ANIMALS),
			fixture("CollectedData_ma.h5", cage));
		assertEquals(List.of("nose", "schwänzchen"), AnnotatedStack.read(DeepLabCutLabels.read(cage.resolve(
			"CollectedData_ma.h5"), true, Progress.NONE).image(), null).keypointNames(), "pandas' UTF-8 names");
	}

	/**
	 * Issue 24: a project from its config.yaml: every video's labelled frames in one stack, the bodyparts in
	 * config.yaml's order (whatever the files' column order), each frame's video kept for the way back.
	 */
	@Test
	void aProjectsVideosBecomeOneStackInItsBodypartsOrder() throws IOException {
		final Path config = Files.writeString(project.resolve("config.yaml"), """
			    # Project definitions (do not edit)
			Task: openfield
			scorer: me
			date: Dec3
			multianimalproject: false
			identity:

			    # Project path (change when moving around)
			project_path: /home/lab/openfield-me-2026-12-03

			video_sets:
			  /home/lab/videos/mouse1.avi:
			    crop: 0, 64, 0, 48
			bodyparts:
			- tail
			- nose
			- leftear
			start: 0
			skeleton:
			- - nose
			  - tail
			""");
		fixture("CollectedData_me.h5", video("mouse1", 64, 64, 80, 64));
		Files.writeString(video("mouse2", 64, 64).resolve("CollectedData_me.csv"),
			"scorer,,,me,me,me,me\nbodyparts,,,nose,nose,paw,paw\ncoords,,,x,y,x,y\n" +
			"labeled-data,mouse2,img0.png,10,20,3,4\nlabeled-data,mouse2,img1.png,12,22,,\n");
		video("mouse2_labeled", 64); // DeepLabCut's check_labels pictures: no labels, no word
		Files.writeString(video("mouse3", 64).resolve("CollectedData_you.csv"), "scorer,you\n");
		Files.writeString(video("mouse4", 64).resolve("CollectedData_me.csv"), "scorer,me\n"); // damaged: the others stay

		final ImportResult result = DeepLabCutLabels.read(config, false, Progress.NONE);
		final ImagePlus image = result.image();
		assertEquals("openfield", image.getTitle());
		assertEquals(List.of("mouse1/img0.png", "mouse1/img1.png", "mouse1/img3.png", "mouse2/img0.png",
			"mouse2/img1.png"), java.util.stream.IntStream.rangeClosed(1, image.getStackSize()).mapToObj(i -> image
				.getStack().getSliceLabel(i)).toList());
		assertEquals(List.of("mouse1/img2.png: 80x48, not the 64x48 of the first frame (a stack has one size; import " +
			"each video's folder on its own)", "labeled-data/mouse1/gone.png: not found next to CollectedData_me.h5",
			"CollectedData_me.csv: bodyparts [paw] are not the project's (config.yaml) and were left out",
			"mouse3: no CollectedData_me.h5 or .csv (labelled by another scorer?)", "mouse4: CollectedData_me.csv is " +
			"not a DeepLabCut CollectedData file: it needs the header rows 'scorer', 'bodyparts' and 'coords' (and " +
			"'individuals' for several animals), as DeepLabCut writes them."), result.skipped());
		final AnnotatedStack stack = AnnotatedStack.read(image, null);
		assertEquals(List.of("tail", "nose", "leftear"), stack.keypointNames());
		assertArrayEquals(new double[] { 41, 11.5, Double.NaN }, stack.objects().get(1).x(), 1e-9, "mouse1/img1.png");
		assertArrayEquals(new double[] { Double.NaN, 12, Double.NaN }, stack.objects().get(3).x(), 1e-9,
			"mouse2/img1.png: its tail and ear never labelled");

		final Path out = project.resolve("back.csv");
		DeepLabCutLabels.write(image, stack.objects(), stack.keypointNames(), "me", out);
		assertEquals(List.of("labeled-data,mouse1,img0.png", "labeled-data,mouse1,img1.png",
			"labeled-data,mouse2,img0.png", "labeled-data,mouse2,img1.png"), Files.readAllLines(out).stream().skip(3)
				.map(line -> String.join(",", List.of(line.split(",")).subList(0, 3))).toList(),
			"each frame back in its video's folder");
	}

	@Test
	void aMultiAnimalConfigNamesItsAnimalsBodypartsAndABadOneIsNamed() throws IOException {
		final Path config = Files.writeString(project.resolve("config.yaml"), "Task: cage\nscorer: me\n" +
			"multianimalproject: true\nindividuals:\n- mus1\n- mus2\nuniquebodyparts:\n- feeder\n" +
			"multianimalbodyparts:\n- nose\n- schwänzchen\nbodyparts: MULTI!\n");
		assertEquals(new DeepLabCutConfig("cage", "me", List.of("nose", "schwänzchen")), DeepLabCutConfig.read(config));
		Files.writeString(config, "Task: cage\nbodyparts:\n- nose\n");
		assertEquals("config.yaml is not a DeepLabCut project's config.yaml: it has no 'scorer'.", assertThrows(
			KeypointException.class, () -> DeepLabCutLabels.readProject(config, true, Progress.NONE)).getMessage());
		Files.writeString(config, "scorer: me\nbodyparts: [nose\n");
		assertTrue(assertThrows(KeypointException.class, () -> DeepLabCutConfig.read(config)).getMessage().startsWith(
			"config.yaml is not YAML, as DeepLabCut writes its config.yaml: "));
		Files.writeString(config, "scorer: me\nbodyparts: [nose]\n");
		assertTrue(assertThrows(KeypointException.class, () -> DeepLabCutLabels.readProject(config, true,
			Progress.NONE)).getMessage().startsWith("config.yaml: the project has no labeled-data folder to import ("));
	}

	@Test
	void anH5WithoutDeepLabCutsTableIsNamed() throws IOException {
		final Path plain = project.resolve("CollectedData_x.h5");
		try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(plain)) {
			hdf.putDataset("points", new double[] { 1, 2 });
		}
		assertEquals("CollectedData_x.h5 holds no pandas DataFrame (DataFrame.to_hdf's fixed format, as DeepLabCut " +
			"writes it); export the labels as CSV in DeepLabCut and import that.", assertThrows(KeypointException.class,
				() -> DeepLabCutLabels.read(plain, true, Progress.NONE)).getMessage());
		final Path text = Files.writeString(project.resolve("CollectedData_y.h5"), SINGLE_ANIMAL);
		assertTrue(assertThrows(KeypointException.class, () -> DeepLabCutLabels.read(text, true, Progress.NONE))
			.getMessage().startsWith("CollectedData_y.h5 is not an HDF5 file jHDF can read: "));
	}

	private static Path fixture(final String name, final Path folder) throws IOException {
		try (java.io.InputStream in = DeepLabCutLabelsTest.class.getResourceAsStream("deeplabcut/" + name)) {
			final Path copy = folder.resolve(name);
			Files.copy(in, copy);
			return copy;
		}
	}

	private static void assertSameImport(final Path csv, final Path h5) {
		final ImportResult fromCsv = DeepLabCutLabels.read(csv, false, Progress.NONE);
		final ImportResult fromH5 = DeepLabCutLabels.read(h5, false, Progress.NONE);
		final String csvName = csv.getFileName().toString(), h5Name = h5.getFileName().toString();
		assertEquals(fromCsv.skipped().stream().map(line -> line.replace(csvName, h5Name)).toList(), fromH5.skipped());
		assertEquals(fromCsv.image().getStackSize(), fromH5.image().getStackSize());
		for (int slice = 1; slice <= fromCsv.image().getStackSize(); slice++) {
			assertEquals(fromCsv.image().getStack().getSliceLabel(slice), fromH5.image().getStack().getSliceLabel(slice));
		}
		final AnnotatedStack expected = AnnotatedStack.read(fromCsv.image(), null);
		final AnnotatedStack actual = AnnotatedStack.read(fromH5.image(), null);
		assertEquals(expected.keypointNames(), actual.keypointNames());
		assertEquals(expected.objects().size(), actual.objects().size());
		for (int i = 0; i < expected.objects().size(); i++) {
			assertEquals(expected.objects().get(i).plane().stackIndex(), actual.objects().get(i).plane().stackIndex());
			assertArrayEquals(expected.objects().get(i).x(), actual.objects().get(i).x(), 1e-9);
			assertArrayEquals(expected.objects().get(i).y(), actual.objects().get(i).y(), 1e-9);
		}
	}

	@Test
	void aFileThatIsNotDeepLabCutsIsNamed() throws IOException {
		final Path csv = Files.writeString(project.resolve("points.csv"), "slice,label,point,name,x,y\n1,,0,a,1,2\n");
		assertEquals("points.csv is not a DeepLabCut CollectedData file: it needs the header rows 'scorer', 'bodyparts' " +
			"and 'coords' (and 'individuals' for several animals), as DeepLabCut writes them.",
			assertThrows(KeypointException.class, () -> DeepLabCutLabels.read(csv, true, Progress.NONE)).getMessage());
	}

	/** Issue 24: points go back to DeepLabCut in its layout, missing points as empty cells, and read back as they were. */
	@Test
	void pointSetsGoOutInDeepLabCutsLayoutAndComeBack() throws IOException {
		final Path folder = video("mouse2", 64, 64);
		final ImagePlus frames = DeepLabCutLabels.read(Files.writeString(folder.resolve("CollectedData_me.csv"),
			"scorer,,,me,me,me,me\nbodyparts,,,nose,nose,tail,tail\ncoords,,,x,y,x,y\n" +
			"labeled-data,mouse2,img0.png,10,20,,\nlabeled-data,mouse2,img1.png,12,22,40,30\n"), false, Progress.NONE).image();
		final AnnotatedStack stack = AnnotatedStack.read(frames, null);
		final Path out = folder.resolve("CollectedData_KeypointJ.csv");
		DeepLabCutLabels.write(frames, stack.objects(), stack.keypointNames(), "KeypointJ", out);
		assertEquals(List.of("scorer,,,KeypointJ,KeypointJ,KeypointJ,KeypointJ", "bodyparts,,,nose,nose,tail,tail",
			"coords,,,x,y,x,y", "labeled-data,mouse2,img0.png,10.0000,20.0000,,",
			"labeled-data,mouse2,img1.png,12.0000,22.0000,40.0000,30.0000"), Files.readAllLines(out));
		final AnnotatedStack back = AnnotatedStack.read(DeepLabCutLabels.read(out, false, Progress.NONE).image(), null);
		assertEquals(stack.keypointNames(), back.keypointNames());
		for (int i = 0; i < 2; i++) {
			assertArrayEquals(stack.objects().get(i).x(), back.objects().get(i).x(), 1e-4);
			assertArrayEquals(stack.objects().get(i).y(), back.objects().get(i).y(), 1e-4);
		}
	}
}
