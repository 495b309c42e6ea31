package io.github.keypointj.demo;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import io.github.keypointj.KeypointException;
import io.github.keypointj.Progress;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.detect.Detection;
import io.github.keypointj.detect.DetectionRequest;
import io.github.keypointj.detect.Region;
import io.github.keypointj.engine.DeviceChoice;
import io.github.keypointj.io.ImageFiles;
import io.github.keypointj.io.KeypointCsv;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.model.ModelFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publishes the models trained by {@code scripts/reproduce_report.ijm} into sample-images/models: the
 * evaluation figures and the training data's terms go into each model's metadata; the weights are
 * stored in float16 when that moves no keypoint on the sample photos by more than
 * {@value #MAX_COMPACT_SHIFT_PX} px of the network's input, with the same crop (whole image, no
 * self-refining: each re-crop around moved points would add its own resampling difference). Also writes
 * every shipped model's detections on the sample photos, every object found on the whole photo, which a
 * test holds them to. A model trained without an object stage keeps the one its shipped file has, or gets
 * another shipped model's (the face stage serves every face model: {@link ModelFile#copyObjectStage}).
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.ShipModels RESULTS_FOLDER sample-images EXPECTED_CSV}
 */
public final class ShipModels {

	static final double MAX_COMPACT_SHIFT_PX = 0.1;

	static final String IMM_TERMS = "Trained on the IMM Face Database (Technical University of Denmark): free for " +
		"education and research, commercial use not granted; cite M. M. Nordstrom, M. Larsen, J. Sierakowski, " +
		"M. B. Stegmann, 'The IMM Face Database - An Annotated Dataset of 240 Face Images', DTU Informatics and " +
		"Mathematical Modelling, 2004.";
	static final String W300_TERMS = "Trained on iBUG 300-W (Sagonas et al.): research use only, not for " +
		"commercial use; cite C. Sagonas, E. Antonakos, G. Tzimiropoulos, S. Zafeiriou, M. Pantic, '300 faces " +
		"In-the-wild challenge: database and results', Image and Vision Computing 47, 2016.";

	/**
	 * One model to publish: from which result, under which name and file, with what evaluated on what.
	 *
	 * @param summaries the evaluation summaries (result folder names without "-summary.csv") and the prefix
	 *        of their figures in the model's metadata; the first one's figures have none
	 * @param objectStageFrom the shipped model file whose object stage this model gets when it was trained
	 *        without one, or null: the stage its own shipped file has, if any
	 * @param mirrorOffset the annotations' offset from mirror symmetry that the model's average with the mirror
	 *        image assumes ({@link ModelDescription#mirrorOffset}), recorded also where it was trained without
	 *        it; 0: the model's own
	 */
	record Shipment(String result, String file, String name, List<String> keypointNames, String evaluatedOn,
		String terms, Map<String, String> summaries, String objectStageFrom, double mirrorOffset)
	{

		Shipment(final String result, final String file, final String name, final List<String> keypointNames,
			final String evaluatedOn, final String terms)
		{
			this(result, file, name, keypointNames, evaluatedOn, terms, Map.of(result, ""), null, 0);
		}
	}

	/**
	 * 300-W's annotations lie 0.0049 of a box right of mirror symmetry (docs/RESULTS.md). With it, a 68-point
	 * model's average with its mirror image is 0.07-0.15 points better than without (which is worse than
	 * the model alone), whether or not the model was trained with it.
	 */
	static final double W300_MIRROR_OFFSET = 0.0049;

	static final List<Shipment> SHIPMENTS = List.of(
		new Shipment("nose", "imm-nose-tip.zip", "IMM nose tip (NoseNet)", List.of("nose tip"),
			"IMM persons 33-40 (48 faces, 640x480), trained on persons 1-32", IMM_TERMS),
		// KeypointJ's better recipe (batch 4, 60 epochs, augmented): 14.5 px against the report recipe's 17.1 px.
		new Shipment("face-best", "imm-face-58.zip", "IMM face: 58 points (FaceNet)", null,
			"IMM persons 33-40 (48 faces, 640x480), trained on persons 1-32", IMM_TERMS),
		new Shipment("resnet", "300w-face-68.zip", "300-W face: 68 points (ResNet18)", null,
			"LFPW test set (224 faces, crops of 2x the landmarks' box), trained on 300-W (1675 faces)", W300_TERMS),
		new Shipment("heatmap", "300w-face-68-heatmap.zip", "300-W face: 68 points (HeatmapNet)", null,
			"LFPW test set (224 faces; 'HELEN test:' the HELEN test set, 265 faces), crops of 1.4x the landmarks' " +
				"box; trained on 300-W (1675 faces) and AFW (185)", W300_TERMS,
			orderedMap("heatmap-lfpw", "", "heatmap-helen", "HELEN test: "), null, W300_MIRROR_OFFSET),
		// Heatmaps at half the input, mirrored samples keeping 300-W's offset, a second schedule of 60 epochs and
		// 8 more at 192 px (reproduce_report.ijm which=heatmap-fine-offset,heatmap-fine-restart,heatmap-fine-192-tune):
		// 3.04 / 2.99 % against HeatmapNet's 3.27 / 3.25 %, a look about 2x the time (docs/RESULTS.md); trained
		// without an object stage, it gets the face stage of the heatmap model.
		new Shipment("heatmap-fine-192-tune", "300w-face-68-fine.zip", "300-W face: 68 points (HeatmapNet-fine, 192 px)", null,
			"LFPW test set (224 faces; 'HELEN test:' the HELEN test set, 265 faces), crops of 1.4x the landmarks' " +
				"box; trained on 300-W (1675 faces) and AFW (185)", W300_TERMS,
			orderedMap("heatmap-fine-192-tune-lfpw", "", "heatmap-fine-192-tune-helen", "HELEN test: "),
			"300w-face-68-heatmap.zip", W300_MIRROR_OFFSET));

	private static Map<String, String> orderedMap(final String... keysAndValues) {
		final Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
		return map;
	}

	private ShipModels() {}

	public static void main(final String[] args) throws IOException {
		if (args.length != 3) throw new IllegalArgumentException("usage: ShipModels RESULTS_FOLDER SAMPLE_IMAGES EXPECTED_CSV");
		final Path results = Paths.get(args[0]);
		final Path samples = Paths.get(args[1]);
		final List<Path> photos = ImageFiles.list(samples.resolve("photos"));
		final StringBuilder expected = new StringBuilder("model,photo,object,point,x,y\n");
		for (final Shipment shipment : SHIPMENTS) {
			final Path source = results.resolve(shipment.result() + ".zip");
			final Path target = samples.resolve("models").resolve(shipment.file());
			if (Files.exists(source)) publish(source, results, shipment, target, photos);
			else IJ.log("not published again (no " + source + ")");
			if (!Files.exists(target)) continue;
			recordMirrorOffset(shipment, target);
			for (final Path photo : photos) {
				final List<PlaneKeypoints> found = detect(target, photo, 3);
				for (int object = 0; object < found.size(); object++) {
					for (int i = 0; i < found.get(object).count(); i++) {
						expected.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.3f%n", shipment.file(),
							photo.getFileName(), object + 1, i + 1, found.get(object).x()[i], found.get(object).y()[i]));
					}
				}
			}
		}
		Files.createDirectories(Paths.get(args[2]).toAbsolutePath().getParent());
		Files.writeString(Paths.get(args[2]), expected, StandardCharsets.UTF_8);
	}

	private static void publish(final Path source, final Path results, final Shipment shipment, final Path target,
		final List<Path> photos) throws IOException
	{
		final Path shippedStage = keptObjectStage(source, shipment.objectStageFrom() == null ? target
			: target.resolveSibling(shipment.objectStageFrom()));
		final ModelDescription description;
		try (KeypointModel model = ModelFile.load(source, Device.cpu())) {
			description = model.description().renamed(shipment.name(), shipment.keypointNames() != null ? shipment
				.keypointNames() : model.description().keypointNames());
			description.evaluation().put("evaluated on", shipment.evaluatedOn());
			description.evaluation().put("epochs trained", description.history().size() + " of " + description
				.trainingSettings().get("epochs"));
			for (final Map.Entry<String, String> summary : shipment.summaries().entrySet()) {
				readSummary(results.resolve(summary.getKey() + "-summary.csv")).forEach((figure, value) ->
					description.evaluation().put(summary.getValue() + figure, value));
			}
			description.setDataTerms(shipment.terms());
			ModelFile.saveCompact(model, target);
		}
		ModelFile.rewriteDescription(target, description);
		double worst = 0;
		for (final Path photo : photos) {
			final List<PlaneKeypoints> full = detect(source, photo, 0);
			final CropBox crop = CropBox.forObject(full.get(0).region(), description.crop());
			worst = Math.max(worst, largestShift(full, detect(target, photo, 0)) * description.inputWidth() / crop.width());
		}
		IJ.log(String.format(Locale.ROOT, "%s: float16 weights move keypoints on the sample photos by at most %.4f px " +
			"of the %dx%d input", target.getFileName(), worst, description.inputWidth(), description.inputHeight()));
		if (worst > MAX_COMPACT_SHIFT_PX) {
			// Full precision, same metadata: predictions matter more than size.
			try (KeypointModel model = ModelFile.load(source, Device.cpu())) {
				ModelFile.save(model, target);
			}
			ModelFile.rewriteDescription(target, description);
			IJ.log(target.getFileName() + ": kept in float32");
		}
		// After the float16 check, which compares the two networks on the same whole photos.
		if (shippedStage != null) {
			ModelFile.copyObjectStage(shippedStage, target);
			Files.delete(shippedStage);
			IJ.log(target.getFileName() + ": the object stage " + (shipment.objectStageFrom() == null ? "it shipped with"
				: "of " + shipment.objectStageFrom()));
		}
	}

	/** Gives the shipped file the shipment's mirror offset, where it has another; its weights stay as they are. */
	private static void recordMirrorOffset(final Shipment shipment, final Path target) {
		final ModelDescription description = ModelFile.readDescription(target);
		if (shipment.mirrorOffset() == 0 || description.mirrorOffset() == shipment.mirrorOffset()) return;
		description.setMirrorOffset(shipment.mirrorOffset());
		ModelFile.rewriteDescription(target, description);
		IJ.log(target.getFileName() + ": mirror offset " + shipment.mirrorOffset() + " for the average with the mirror image");
	}

	/**
	 * A copy of the shipped model file {@code donor} when {@code source} has no object stage and the donor
	 * has one (publishing may overwrite it), else null.
	 */
	private static Path keptObjectStage(final Path source, final Path donor) throws IOException {
		if (ModelFile.readDescription(source).objectStage() != null || !Files.exists(donor) ||
			ModelFile.readDescription(donor).objectStage() == null) return null;
		final Path copy = Files.createTempFile("shipped-stage", ".zip");
		Files.copy(donor, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		return copy;
	}

	/** The model's and the baseline's rows of an evaluation summary CSV, as "column" and "mean shape: column". */
	static Map<String, String> readSummary(final Path summary) throws IOException {
		final Map<String, String> figures = new LinkedHashMap<>();
		if (!Files.exists(summary)) return figures;
		final List<String> lines = Files.readAllLines(summary, StandardCharsets.UTF_8);
		final List<String> headings = KeypointCsv.fields(lines.get(0));
		for (int row = 1; row < lines.size(); row++) {
			final List<String> values = KeypointCsv.fields(lines.get(row));
			for (int column = 1; column < Math.min(headings.size(), values.size()); column++) {
				figures.put((row == 1 ? "" : "mean shape: ") + headings.get(column), values.get(column));
			}
		}
		return figures;
	}

	/** The keypoints a model finds on a whole photo, with {@code refineRounds} for box-trained models. */
	static List<PlaneKeypoints> detect(final Path model, final Path photo, final int refineRounds) {
		final ImagePlus image = IJ.openImage(photo.toString());
		if (image == null) throw new KeypointException("Cannot open " + photo);
		final List<PlaneKeypoints> found = Detection.run(image, new DetectionRequest(model, false, Region.WHOLE_IMAGE,
			DeviceChoice.CPU, refineRounds), Progress.NONE).keypoints();
		image.close();
		return new ArrayList<>(found);
	}

	/**
	 * The largest distance between the same keypoint in two detections, in pixels, each object of
	 * {@code a} against the nearest of {@code b} (their order may differ when confidences are close);
	 * infinite when they found different numbers of objects.
	 */
	static double largestShift(final List<PlaneKeypoints> a, final List<PlaneKeypoints> b) {
		if (a.size() != b.size()) return Double.POSITIVE_INFINITY;
		double worst = 0;
		for (final PlaneKeypoints object : a) {
			final PlaneKeypoints other = nearest(object, b);
			for (int i = 0; i < object.count(); i++) {
				worst = Math.max(worst, Math.hypot(object.x()[i] - other.x()[i], object.y()[i] - other.y()[i]));
			}
		}
		return worst;
	}

	/** The object of {@code candidates} whose mean point is nearest {@code object}'s. */
	static PlaneKeypoints nearest(final PlaneKeypoints object, final List<PlaneKeypoints> candidates) {
		PlaneKeypoints best = null;
		double bestDistance = Double.POSITIVE_INFINITY;
		for (final PlaneKeypoints candidate : candidates) {
			final double distance = Math.hypot(mean(object.x()) - mean(candidate.x()), mean(object.y()) - mean(candidate.y()));
			if (distance < bestDistance) {
				bestDistance = distance;
				best = candidate;
			}
		}
		return best;
	}

	private static double mean(final double[] values) {
		double sum = 0;
		for (final double value : values) sum += value;
		return sum / values.length;
	}
}
