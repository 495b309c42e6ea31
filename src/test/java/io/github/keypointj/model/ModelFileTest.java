package io.github.keypointj.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.keypointj.KeypointException;
import io.github.keypointj.TestModels;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropRecipe;
import io.github.keypointj.data.MirrorOrder;
import io.github.keypointj.engine.Convolutions;
import io.github.keypointj.engine.InferenceLayout;
import io.github.keypointj.nets.Architecture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

	@TempDir
	Path folder;

	/** The mirror order a model was trained with travels in its file; models saved before keep theirs. */
	@Test
	void theMirrorOrderTravelsWithTheModel() {
		final MirrorOrder wing = MirrorOrder.parsePairs("0-4 1-3", 5, "mirror_pairs");
		final ModelDescription description = TestModels.small(5, 1, CropRecipe.wholeRegion());
		description.setMirror(wing);
		assertEquals(wing, description.copy().mirror());
		final ModelDescription faces = TestModels.small(68, 1, CropRecipe.wholeRegion());
		assertEquals(MirrorOrder.IBUG_68, faces.mirror(), "saved before the order was stored: the scheme it was trained with");
		faces.setMirror(null);
		assertEquals(null, faces.copy().mirror(), "declared as never mirrored, even with 68 points");
	}

	@Test
	void saveThenLoadGivesIdenticalPredictionsForEveryArchitecture() {
		// One way to convolve for every call: the measured choice tries several in a layer's first calls, whose
		// results differ in the last bit, and this compares to the bit.
		Convolutions.useInferenceLayout(InferenceLayout.NCHW);
		try {
			everyArchitecturePredictsTheSameAfterSaveAndLoad();
		}
		finally {
			Convolutions.useInferenceLayout(null);
		}
	}

	private void everyArchitecturePredictsTheSameAfterSaveAndLoad() {
		for (final Architecture architecture : Architecture.values()) {
			final ModelDescription description = new ModelDescription(architecture.label() + " test", architecture,
				architecture == Architecture.FACE_NET ? 100 : 48, architecture == Architecture.FACE_NET ? 100 : 40,
				architecture.defaultChannels(), architecture.defaultChannels() == 3 ? Normalization.imageNet()
					: Normalization.centered(1), AnnotatedStack.numberedNames(3), CropRecipe.squareAroundBox(1.5));
			description.trainingSettings().put("epochs", "2");
			description.history().add(new EpochRecord(1, 0.5, 0.25, 3.5, 1.2));
			final Path file = folder.resolve(architecture.label() + ".zip");
			try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
				final float[] input = randomInput(model, 2);
				final float[][] before = model.predict(input, 2);
				ModelFile.save(model, file);
				try (KeypointModel loaded = ModelFile.load(file, Device.cpu())) {
					assertArrayEquals(before[0], loaded.predict(input, 2)[0], architecture.label());
					assertArrayEquals(before[1], loaded.predict(input, 2)[1], architecture.label());
					final KeypointModel.Inference inference = loaded.infer(input, 2);
					assertArrayEquals(before[1], inference.points()[1], "the points of infer are predict's");
					for (final float confidence : inference.confidence()[1]) {
						if (architecture.heatmaps()) assertTrue(confidence > 0 && confidence <= 1, "confidence " + confidence);
						else assertTrue(Float.isNaN(confidence), "regression gives no confidence");
					}
					final ModelDescription read = loaded.description();
					assertEquals(architecture, read.architecture());
					assertEquals(description.inputWidth(), read.inputWidth());
					assertEquals(description.keypointNames(), read.keypointNames());
					assertEquals(description.crop(), read.crop());
					assertArrayEquals(description.normalization().std(), read.normalization().std());
					assertEquals("2", read.trainingSettings().get("epochs"));
					assertEquals(description.history(), read.history());
				}
			}
		}
	}

	/** A killed process leaves its half-written temporary file; the next save of the same model removes it (issue 14, case 15). */
	@Test
	void aSaveRemovesTheTemporaryFilesOfKilledWrites() throws IOException {
		final ModelDescription description = ModelDescription.of("parts", Architecture.NOSE_NET, 48, 40,
			AnnotatedStack.numberedNames(2));
		final Path file = folder.resolve("model.zip");
		final Path killed = Files.writeString(folder.resolve(".model.zip123.part"), "half a zip");
		Files.setLastModifiedTime(killed, FileTime.from(Instant.now().minus(ModelFile.STALE_TEMPORARY).minusSeconds(1)));
		final Path underWay = Files.writeString(folder.resolve(".model.zip456.part"), "another writer's");
		final Path otherModel = Files.writeString(folder.resolve(".other.zip789.part"), "another model's");
		Files.setLastModifiedTime(otherModel, Files.getLastModifiedTime(killed));
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			ModelFile.save(model, file);
		}
		assertFalse(Files.exists(killed), "the stale temporary of this model is gone");
		assertTrue(Files.exists(underWay), "a recent one may be a write under way");
		assertTrue(Files.exists(otherModel), "another model's temporaries are not this save's business");
		assertTrue(Files.exists(file));
	}

	@Test
	void compactFilesAreAboutHalfTheSizeAndPredictAlmostTheSame() throws IOException {
		final ModelDescription description = new ModelDescription("resnet", Architecture.RESNET18, 64, 64, 3,
			Normalization.imageNet(), AnnotatedStack.numberedNames(68), CropRecipe.squareAroundBox(2));
		final Path full = folder.resolve("full.zip");
		final Path compact = folder.resolve("compact.zip");
		try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
			final float[] input = randomInput(model, 2);
			final float[][] before = model.predict(input, 2);
			ModelFile.save(model, full);
			ModelFile.saveCompact(model, compact);
			try (KeypointModel loaded = ModelFile.load(compact, Device.cpu())) {
				final float[][] after = loaded.predict(input, 2);
				double worst = 0;
				for (int b = 0; b < 2; b++) {
					for (int i = 0; i < before[b].length; i++) worst = Math.max(worst, Math.abs(before[b][i] - after[b][i]));
				}
				// Outputs are fractions of the input side: 1e-3 is under 0.25 px of a 224-pixel crop.
				assertTrue(worst < 1e-3, "largest change " + worst);
				assertTrue(worst > 0, "float16 rounding should show somewhere");
				assertEquals(description.keypointNames(), loaded.description().keypointNames());
			}
		}
		final double ratio = (double) Files.size(compact) / Files.size(full);
		assertTrue(ratio < 0.55 && ratio > 0.4, "compact / full size " + ratio);
	}

	/**
	 * Every network's compact file loads with its weights, whatever the length of their names: each weight
	 * as stored, to float16's rounding (a relative 2^-11), in the network's own order.
	 */
	@Test
	void everyArchitecturesCompactFileLoadsItsWeights() throws IOException {
		for (final Architecture architecture : Architecture.values()) {
			final ModelDescription description = new ModelDescription(architecture.label(), architecture, 128, 128,
				architecture.defaultChannels(), Normalization.centered(architecture.defaultChannels()),
				AnnotatedStack.numberedNames(3), CropRecipe.wholeRegion());
			final Path compact = folder.resolve(architecture.name() + ".zip");
			try (KeypointModel model = KeypointModel.create(description, Device.cpu())) {
				ModelFile.saveCompact(model, compact);
				try (KeypointModel loaded = ModelFile.load(compact, Device.cpu())) {
					final var saved = model.block().getParameters();
					final var read = loaded.block().getParameters();
					assertEquals(saved.size(), read.size(), architecture.label());
					for (int p = 0; p < saved.size(); p++) {
						final float[] before = saved.valueAt(p).getArray().toFloatArray();
						final float[] after = read.valueAt(p).getArray().toFloatArray();
						for (int i = 0; i < before.length; i++) {
							assertEquals(before[i], after[i], Math.abs(before[i]) / 1024 + 1e-7, architecture.label() + " " +
								saved.keyAt(p) + " value " + i);
						}
					}
				}
			}
		}
	}

	/**
	 * Full-precision files (the model during training, the checkpoint every epoch) are stored, not deflated:
	 * float32 weights shrink by 8 % for seconds of a core per write; compact (shipped) files stay deflated,
	 * and a rewrite of the description keeps each as it was.
	 */
	@Test
	void fullPrecisionFilesAreStoredAndCompactOnesDeflatedThroughRewrites() throws IOException {
		final Path full = folder.resolve("full.zip"), compact = folder.resolve("compact.zip");
		try (KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu())) {
			ModelFile.save(model, full);
			ModelFile.saveCompact(model, compact);
		}
		for (int write = 0; write < 2; write++) {
			assertTrue(Files.size(full) >= contentBytes(full), "stored: " + Files.size(full) + " for " + contentBytes(full));
			assertTrue(Files.size(compact) < 0.97 * contentBytes(compact), "deflated: " + Files.size(compact) + " for " +
				contentBytes(compact));
			ModelFile.rewriteDescription(full, ModelFile.readDescription(full));
			ModelFile.rewriteDescription(compact, ModelFile.readDescription(compact));
		}
	}

	/** What a zip's entries hold, uncompressed. */
	private static long contentBytes(final Path file) throws IOException {
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
			return java.util.Collections.list(zip.entries()).stream().mapToLong(java.util.zip.ZipEntry::getSize).sum();
		}
	}

	@Test
	void compactWeightsThatDoNotFitAreReported() throws IOException {
		final Path file = folder.resolve("model.zip");
		try (KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu())) {
			ModelFile.saveCompact(model, file);
		}
		final Path edited = folder.resolve("edited.zip");
		try (var zip = new java.util.zip.ZipFile(file.toFile());
			ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(edited)))
		{
			final String json = new String(zip.getInputStream(zip.getEntry("keypointj.json")).readAllBytes(),
				StandardCharsets.UTF_8);
			out.putNextEntry(new ZipEntry("keypointj.json"));
			out.write(json.replace("\"point 1\"", "\"point 1\", \"point 2\"").getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new ZipEntry(ModelFile.HALF_PARAMETERS));
			out.write(zip.getInputStream(zip.getEntry(ModelFile.HALF_PARAMETERS)).readAllBytes());
		}
		assertMessage(edited, "is damaged: its weights could not be read");
	}

	@Test
	void savingReplacesAnExistingFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
		final Path file = folder.resolve("model.zip");
		Files.writeString(file, "an older file");
		try (KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu())) {
			ModelFile.save(model, file);
		}
		assertEquals("nose", ModelFile.readDescription(file).name());
		try (var listing = Files.list(folder)) {
			assertEquals(1, listing.count(), "only the model file is left");
		}
	}

	@Test
	void aFailedSaveLeavesTheOldFileAlone() throws IOException {
		final Path file = folder.resolve("model.zip");
		Files.writeString(file, "the user's file");
		final KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu());
		model.close(); // its weights are gone: writing them fails half way
		assertThrows(RuntimeException.class, () -> ModelFile.save(model, file));
		assertEquals("the user's file", Files.readString(file));
		try (var listing = Files.list(folder)) {
			assertEquals(1, listing.count(), "no temporary file is left");
		}
	}

	@Test
	void missingFileIsNamed() {
		final Path missing = folder.resolve("nowhere.zip");
		final KeypointException e = assertThrows(KeypointException.class, () -> ModelFile.load(missing, Device.cpu()));
		assertEquals("Model file not found: " + missing, e.getMessage());
	}

	@Test
	void aFileThatIsNotAModelIsNamed() throws IOException {
		final Path text = folder.resolve("notes.txt");
		Files.writeString(text, "not a model");
		assertMessage(text, "is not a usable KeypointJ model: it is not a zip file, or it is truncated");

		final Path otherZip = folder.resolve("other.zip");
		writeZip(otherZip, "readme.txt", "hello");
		assertMessage(otherZip, "is not a usable KeypointJ model: it has no keypointj.json");

		final Path otherJson = folder.resolve("json.zip");
		writeZip(otherJson, "keypointj.json", "{\"format\": \"something else\"}");
		assertMessage(otherJson, "does not describe a KeypointJ model");
	}

	@Test
	void aTruncatedFileIsNamed() throws IOException {
		final Path file = folder.resolve("model.zip");
		try (KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu())) {
			ModelFile.save(model, file);
		}
		final byte[] bytes = Files.readAllBytes(file);
		final Path truncated = folder.resolve("truncated.zip");
		Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		final KeypointException e = assertThrows(KeypointException.class, () -> ModelFile.load(truncated, Device.cpu()));
		assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
		assertTrue(e.getMessage().contains("truncated"), e.getMessage());
	}

	@Test
	void aNewerFormatAsksForAnUpdate() throws IOException {
		final Path file = folder.resolve("future.zip");
		writeZip(file, "keypointj.json", "{\"format\": \"KeypointJ model\", \"formatVersion\": 99}");
		assertMessage(file, "was written by a newer KeypointJ (format version 99; this KeypointJ reads up to 1)");
	}

	@Test
	void weightsThatDoNotFitTheDescriptionAreReported() throws IOException {
		final Path file = folder.resolve("model.zip");
		try (KeypointModel model = KeypointModel.create(smallDescription(), Device.cpu())) {
			ModelFile.save(model, file);
		}
		// Same weights, description claiming more keypoints: the last layer no longer fits.
		final String json;
		try (var zip = new java.util.zip.ZipFile(file.toFile())) {
			json = new String(zip.getInputStream(zip.getEntry("keypointj.json")).readAllBytes(), StandardCharsets.UTF_8);
		}
		final Path edited = folder.resolve("edited.zip");
		try (var zip = new java.util.zip.ZipFile(file.toFile());
			ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(edited)))
		{
			out.putNextEntry(new ZipEntry("keypointj.json"));
			out.write(json.replace("\"point 1\"", "\"point 1\", \"point 2\"").getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new ZipEntry("parameters.djl"));
			out.write(zip.getInputStream(zip.getEntry("parameters.djl")).readAllBytes());
		}
		assertMessage(edited, "is damaged: its weights could not be read");
	}

	private static ModelDescription smallDescription() {
		return new ModelDescription("nose", Architecture.NOSE_NET, 40, 40, 1, Normalization.centered(1),
			AnnotatedStack.numberedNames(1), CropRecipe.wholeRegion());
	}

	private static float[] randomInput(final KeypointModel model, final int batch) {
		final Random random = new Random(1);
		final float[] input = new float[batch * model.inputSize()];
		for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() - 0.5f;
		return input;
	}

	private static void writeZip(final Path file, final String entry, final String text) throws IOException {
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry(entry));
			zip.write(text.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void assertMessage(final Path file, final String part) {
		final KeypointException e = assertThrows(KeypointException.class, () -> ModelFile.load(file, Device.cpu()));
		assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
		assertTrue(e.getMessage().contains(part), e.getMessage());
	}
}
