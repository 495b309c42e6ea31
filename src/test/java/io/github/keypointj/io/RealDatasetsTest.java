package io.github.keypointj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.PlaneKeypoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real data sets of ../shared/datasets, when this machine has them (never copied into the repository). */
// Slow: it trains networks or runs whole scripts; "mvn test -DexcludedGroups=slow" leaves it out.
@Tag("slow")
class RealDatasetsTest {

	private static final Path DATASETS = Paths.get("..", "shared", "datasets");

	@Test
	void theImmDatabaseImportsAs240PlanesOf58PointsInsideTheImage() {
		final Path imm = DATASETS.resolve("imm_face_db");
		assumeTrue(Files.isDirectory(imm), "../shared/datasets/imm_face_db is absent");
		final ImportResult result = ImmImporter.read(imm, false, Progress.NONE);
		assertTrue(result.skipped().isEmpty(), result.skipped().toString());
		assertEquals(240, result.image().getStackSize());
		final AnnotatedStack stack = AnnotatedStack.read(result.image(), null);
		assertEquals(58, stack.keypointCount());
		assertEquals(240, stack.objects().size());
		for (final PlaneKeypoints plane : stack.objects()) assertInside(plane, 640, 480);
	}

	@Test
	void theLfpwTestSetImportsAs224PlanesOf68Points() {
		final Path lfpw = DATASETS.resolve("ibug_subset/lfpw/testset");
		assumeTrue(Files.isDirectory(lfpw), "../shared/datasets/ibug_subset/lfpw/testset is absent");
		final ImportResult result = LandmarkImporter.readPtsFolder(lfpw, new LandmarkImporter.Settings(2.0, 224, true),
			Progress.NONE);
		assertEquals(224, result.image().getStackSize());
		assertTrue(result.skipped().isEmpty(), result.skipped().toString());
		final AnnotatedStack stack = AnnotatedStack.read(result.image(), null);
		assertEquals(68, stack.keypointCount());
		for (final PlaneKeypoints plane : stack.objects()) assertInside(plane, 224, 224);
	}

	private static void assertInside(final PlaneKeypoints plane, final int width, final int height) {
		for (int k = 0; k < plane.count(); k++) {
			assertTrue(plane.x()[k] >= -0.5 && plane.x()[k] < width - 0.5 && plane.y()[k] >= -0.5 && plane.y()[k] < height - 0.5,
				"plane " + plane.plane().stackIndex() + " point " + k);
		}
	}
}
