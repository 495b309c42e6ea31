package io.github.keypointj.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.github.keypointj.AtomicFiles;
import io.github.keypointj.KeypointException;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;

/**
 * The model file: a zip holding {@value #DESCRIPTION} (the {@link ModelDescription} as JSON) and
 * {@value #PARAMETERS} (the DJL parameters) or, for compact files meant to be shipped,
 * {@value #HALF_PARAMETERS} (the same weights in float16). Written atomically: readers never see half a file, and an
 * existing file is replaced only once the new one is complete.
 */
public final class ModelFile {

	static final String DESCRIPTION = "keypointj.json";
	static final String PARAMETERS = "parameters.djl";
	/** Compact weights: float16 on disk (half the size), float32 again once loaded. */
	static final String HALF_PARAMETERS = "parameters-float16.ndlist";
	/** The object stage's weights, when the model has one (float16 in compact files). */
	static final String OBJECT_STAGE_PREFIX = "object-stage";
	static final String OBJECT_STAGE_PARAMETERS = OBJECT_STAGE_PREFIX + ".djl";
	static final String OBJECT_STAGE_HALF_PARAMETERS = OBJECT_STAGE_PREFIX + "-float16.ndlist";

	private static final Gson GSON = ModelDescription.JSON;

	private ModelFile() {}

	/** Writes {@code model} to {@code file}, replacing it atomically if it exists. */
	public static void save(final KeypointModel model, final Path file) {
		save(model, file, Map.of());
	}

	/**
	 * Writes {@code model} and extra entries (e.g. a training checkpoint's optimiser state) to
	 * {@code file}, replacing it atomically if it exists.
	 */
	public static void save(final KeypointModel model, final Path file, final Map<String, byte[]> extra) {
		// stored, not deflated: float32 weights and Adam's moments shrink by 8 % for 5 s of a core per 140 MB
		// checkpoint, which training writes every epoch (more than the epoch itself for a few dozen planes)
		writeAtomically(file, Deflater.NO_COMPRESSION, zip -> {
			zip.putNextEntry(new ZipEntry(DESCRIPTION));
			zip.write(GSON.toJson(model.description()).getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry(PARAMETERS));
			final DataOutputStream data = new DataOutputStream(zip);
			model.block().saveParameters(data);
			data.flush();
			zip.closeEntry();
			if (model.objectStage() != null) {
				zip.putNextEntry(new ZipEntry(OBJECT_STAGE_PARAMETERS));
				model.objectStage().block().saveParameters(data);
				data.flush();
				zip.closeEntry();
			}
			for (final Map.Entry<String, byte[]> entry : extra.entrySet()) {
				zip.putNextEntry(new ZipEntry(entry.getKey()));
				zip.write(entry.getValue());
				zip.closeEntry();
			}
		});
	}

	/**
	 * Writes {@code model} with its weights in float16: half the size on disk, for models shipped or
	 * shared; training checkpoints keep full precision. Loads back as float32.
	 */
	public static void saveCompact(final KeypointModel model, final Path file) {
		writeAtomically(file, Deflater.DEFAULT_COMPRESSION, zip -> {
			zip.putNextEntry(new ZipEntry(DESCRIPTION));
			zip.write(GSON.toJson(model.description()).getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry(HALF_PARAMETERS));
			try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
				zip.write(Weights.halfPrecision(model.block(), scope).encode());
			}
			zip.closeEntry();
			if (model.objectStage() != null) {
				zip.putNextEntry(new ZipEntry(OBJECT_STAGE_HALF_PARAMETERS));
				try (NDManager scope = model.objectStage().djlModel().getNDManager().newSubManager()) {
					zip.write(Weights.halfPrecision(model.objectStage().block(), scope).encode());
				}
				zip.closeEntry();
			}
		});
	}

	/**
	 * Replaces the description stored in {@code file}, keeping its weights and other entries (e.g. to
	 * record epochs trained after the stored weights' epoch). Atomic, like {@link #save}.
	 */
	public static void rewriteDescription(final Path file, final ModelDescription description) {
		try (ZipFile old = open(file.toAbsolutePath())) {
			description(old, file);
			writeAtomically(file, levelLike(old), zip -> {
				zip.putNextEntry(new ZipEntry(DESCRIPTION));
				zip.write(GSON.toJson(description).getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
				for (final ZipEntry entry : java.util.Collections.list(old.entries())) {
					if (entry.getName().equals(DESCRIPTION)) continue;
					zip.putNextEntry(new ZipEntry(entry.getName()));
					try (InputStream in = old.getInputStream(entry)) {
						in.transferTo(zip);
					}
					zip.closeEntry();
				}
			});
		}
		catch (final IOException e) {
			throw unreadable(file, e);
		}
	}

	/**
	 * Gives the model in {@code target} the object stage of the model in {@code source} (its description and
	 * weights, as stored), replacing any stage it had, and keeping its own weights and description
	 * otherwise: one stage that finds faces serves every face model of the same input channels. Atomic,
	 * like {@link #save}.
	 */
	public static void copyObjectStage(final Path source, final Path target) {
		try (ZipFile from = open(source.toAbsolutePath()); ZipFile old = open(target.toAbsolutePath())) {
			final ModelDescription donor = description(from, source);
			final ModelDescription description = description(old, target);
			if (donor.objectStage() == null) throw new KeypointException(source + " has no object stage to copy.");
			if (donor.channels() != description.channels()) {
				throw new KeypointException("The object stage of " + source.getFileName() + " looks at images of " +
					donor.channels() + " channel(s), " + target.getFileName() + " at " + description.channels() + ".");
			}
			description.setObjectStage(donor.objectStage());
			writeAtomically(target, levelLike(old), zip -> {
				zip.putNextEntry(new ZipEntry(DESCRIPTION));
				zip.write(GSON.toJson(description).getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
				for (final ZipFile file : java.util.List.of(old, from)) {
					for (final ZipEntry entry : java.util.Collections.list(file.entries())) {
						final boolean stage = entry.getName().startsWith(OBJECT_STAGE_PREFIX);
						if (entry.getName().equals(DESCRIPTION) || stage != (file == from)) continue;
						zip.putNextEntry(new ZipEntry(entry.getName()));
						try (InputStream in = file.getInputStream(entry)) {
							in.transferTo(zip);
						}
						zip.closeEntry();
					}
				}
			});
		}
		catch (final IOException e) {
			throw new KeypointException("Could not copy the object stage of " + source + " into " + target + ": " +
				e.getMessage(), e);
		}
	}

	/** The compression a rewrite of {@code file} keeps: deflated for compact (shipped) files, as they were written. */
	private static int levelLike(final ZipFile file) {
		return file.getEntry(HALF_PARAMETERS) != null ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION;
	}

	/** What goes into a model file's zip. */
	private interface ZipWriter {

		void write(ZipOutputStream zip) throws IOException;
	}

	/**
	 * Writes a zip to a temporary file next to {@code file}, then moves it into place: readers never see
	 * half a file, and an existing file is replaced only once the new one is complete.
	 */
	private static void writeAtomically(final Path file, final int level, final ZipWriter writer) {
		final Path target = file.toAbsolutePath();
		try {
			Files.createDirectories(target.getParent());
			removeStaleTemporaries(target);
			AtomicFiles.write(target, ".part", temporary -> {
				try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
					zip.setLevel(level);
					writer.write(zip);
				}
			});
		}
		catch (final IOException e) {
			throw new KeypointException("Could not write the model file " + target + ": " + e.getMessage(), e);
		}
	}

	/** A temporary file this old was left by a writer that was killed: no model file takes minutes to write. */
	static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);

	/** Deletes the temporary files of earlier writes of {@code target} that never finished (a killed process). */
	private static void removeStaleTemporaries(final Path target) {
		final String prefix = "." + target.getFileName();
		final Instant stale = Instant.now().minus(STALE_TEMPORARY);
		try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(target.getParent(), prefix + "*.part")) {
			for (final Path temporary : temporaries) {
				if (Files.getLastModifiedTime(temporary).toInstant().isBefore(stale)) Files.deleteIfExists(temporary);
			}
		}
		catch (final IOException e) {
			// Leftovers stay; the write itself goes on.
		}
	}

	/** An extra entry written with {@link #save(KeypointModel, Path, Map)}, or null when the file has none. */
	public static byte[] readEntry(final Path file, final String name) {
		try (ZipFile zip = open(file)) {
			description(zip, file);
			final ZipEntry entry = zip.getEntry(name);
			if (entry == null) return null;
			try (InputStream in = zip.getInputStream(entry)) {
				return in.readAllBytes();
			}
		}
		catch (final IOException e) {
			throw unreadable(file, e);
		}
	}

	/** Reads only the description: fast, and enough for checks before any weights are loaded. */
	public static ModelDescription readDescription(final Path file) {
		try (ZipFile zip = open(file)) {
			return description(zip, file);
		}
		catch (final IOException e) {
			throw unreadable(file, e);
		}
	}

	/**
	 * Loads a model onto {@code device}.
	 *
	 * @throws KeypointException naming the file when it is missing, not a KeypointJ model, damaged, or
	 *         written by a newer KeypointJ
	 */
	public static KeypointModel load(final Path file, final Device device) {
		try (ZipFile zip = open(file)) {
			final ModelDescription description = description(zip, file);
			final ZipEntry parameters = zip.getEntry(PARAMETERS);
			final ZipEntry halfParameters = zip.getEntry(HALF_PARAMETERS);
			if (parameters == null && halfParameters == null) throw notAModel(file, "it has no " + PARAMETERS);
			final KeypointModel model = KeypointModel.allocate(description, device);
			try {
				readWeights(zip, parameters, halfParameters, model.djlModel(), model.inputShape(1));
				model.verifyWeights();
				if (description.objectStage() != null) model.setObjectStage(loadObjectStage(zip, file, description, device));
				return model;
			}
			catch (final IOException | MalformedModelException | RuntimeException e) {
				model.close();
				throw new KeypointException("The model file " + file + " is damaged: its weights could not be read (" +
					e.getMessage() + ").", e);
			}
		}
		catch (final IOException e) {
			throw unreadable(file, e);
		}
	}

	/**
	 * Sets the keypoint network of {@code model} to the weights in the model file {@code source}, to train on
	 * from there (fine-tuning): the same architecture, image channels and number of keypoints, at any input
	 * size the network's weights fit (the fully convolutional ones fit every size).
	 *
	 * @param key the parameter that named {@code source}, for messages
	 * @return the description of {@code source}
	 * @throws KeypointException naming {@code key} and the file when it is no model or does not fit
	 */
	public static ModelDescription readWeightsInto(final Path source, final KeypointModel model, final String key) {
		try (ZipFile zip = open(source)) {
			final ModelDescription from = description(zip, source);
			final ModelDescription to = model.description();
			if (from.architecture() != to.architecture() || from.channels() != to.channels() ||
				from.keypointCount() != to.keypointCount())
			{
				throw new KeypointException(key + ": " + source + " is a " + summary(from) + "; this run trains a " +
					summary(to) + ".");
			}
			try {
				readWeights(zip, zip.getEntry(PARAMETERS), zip.getEntry(HALF_PARAMETERS), model.djlModel(),
					model.inputShape(1));
				model.verifyWeights();
				return from;
			}
			catch (final IOException | MalformedModelException | RuntimeException e) {
				throw new KeypointException(key + ": the weights of " + source + " (" + from.inputWidth() + "x" +
					from.inputHeight() + ") do not fit a " + to.architecture().label() + " of " + to.inputWidth() + "x" +
					to.inputHeight() + " (" + e.getMessage() + "). Train at the size it was trained at.", e);
			}
		}
		catch (final IOException e) {
			throw unreadable(source, e);
		}
	}

	private static String summary(final ModelDescription d) {
		return d.architecture().label() + " for " + d.channels() + "-channel images with " + d.keypointCount() +
			" keypoints";
	}

	/** Sets the weights of {@code model}'s block from the entry {@code full} (DJL's) or else {@code half} (float16). */
	private static void readWeights(final ZipFile zip, final ZipEntry full, final ZipEntry half, final Model model,
		final Shape input) throws IOException, MalformedModelException
	{
		try (InputStream in = zip.getInputStream(full != null ? full : half)) {
			if (full != null) model.getBlock().loadParameters(model.getNDManager(), new DataInputStream(in));
			// From the stream, not from bytes: DJL 0.33's byte decoder reads a name's length from its low byte
			// alone, and HeatmapNet-fine's nested block names are longer than 255 characters.
			else try (NDManager scope = model.getNDManager().newSubManager()) {
				Weights.set(model.getBlock(), model.getNDManager(), input, NDList.decode(scope, in));
			}
		}
	}

	/** The object stage the description names, with its weights from the file. */
	private static ObjectStage loadObjectStage(final ZipFile zip, final Path file, final ModelDescription description,
		final Device device) throws IOException, MalformedModelException
	{
		final ZipEntry full = zip.getEntry(OBJECT_STAGE_PARAMETERS);
		final ZipEntry half = zip.getEntry(OBJECT_STAGE_HALF_PARAMETERS);
		if (full == null && half == null) throw new IOException("its description names an object stage, but it has no " +
			OBJECT_STAGE_PARAMETERS);
		final ObjectStage stage = ObjectStage.allocate(description.objectStage(), description.channels(), device);
		try {
			readWeights(zip, full, half, stage.djlModel(), stage.inputShape(1));
			stage.verifyWeights();
			return stage;
		}
		catch (final IOException | MalformedModelException | RuntimeException e) {
			stage.close();
			throw e;
		}
	}

	private static ZipFile open(final Path file) throws IOException {
		if (file == null) throw new KeypointException("No model file was given.");
		if (!Files.exists(file)) throw new KeypointException("Model file not found: " + file);
		if (Files.isDirectory(file)) throw new KeypointException("The model file " + file + " is a folder, not a file.");
		try {
			return new ZipFile(file.toFile());
		}
		catch (final ZipException e) {
			throw notAModel(file, "it is not a zip file, or it is truncated");
		}
	}

	private static ModelDescription description(final ZipFile zip, final Path file) throws IOException {
		final ZipEntry entry = zip.getEntry(DESCRIPTION);
		if (entry == null) throw notAModel(file, "it has no " + DESCRIPTION);
		final ModelDescription description;
		try (Reader reader = new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8)) {
			description = GSON.fromJson(reader, ModelDescription.class);
		}
		catch (final JsonParseException e) {
			throw notAModel(file, "its " + DESCRIPTION + " is not valid JSON");
		}
		if (description == null || !ModelDescription.FORMAT.equals(description.format()))
			throw notAModel(file, "its " + DESCRIPTION + " does not describe a KeypointJ model");
		if (description.formatVersion() > ModelDescription.FORMAT_VERSION) {
			throw new KeypointException("The model file " + file + " was written by a newer KeypointJ (format version " +
				description.formatVersion() + "; this KeypointJ reads up to " + ModelDescription.FORMAT_VERSION +
				"). Update KeypointJ to use it.");
		}
		final String problem = description.problem();
		if (problem != null) throw notAModel(file, problem);
		return description;
	}

	private static KeypointException notAModel(final Path file, final String why) {
		return new KeypointException(file + " is not a usable KeypointJ model: " + why + ".");
	}

	private static KeypointException unreadable(final Path file, final IOException e) {
		if (e instanceof NoSuchFileException) return new KeypointException("Model file not found: " + file, e);
		return new KeypointException("The model file " + file + " could not be read (it may be truncated): " +
			e.getMessage(), e);
	}
}
