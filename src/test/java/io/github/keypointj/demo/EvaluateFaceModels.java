package io.github.keypointj.demo;

import ai.djl.Device;
import io.github.keypointj.Progress;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.eval.ErrorSummary;
import io.github.keypointj.eval.Evaluation;
import io.github.keypointj.io.LandmarkImporter;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelFile;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * NME of 68-point models on the LFPW and HELEN test sets (imported as Import › Landmark Files does with
 * margin 2, RGB, planes of {@code PLANE} px; evaluated in the points' box as Evaluate Keypoint Model
 * does), each model as it is and averaged with the mirror image, for the experiments of docs/RESULTS.md;
 * with each set's mean offset of the points (prediction minus annotation, in the photos' pixels).
 * <p>
 * {@code java -cp ... io.github.keypointj.demo.EvaluateFaceModels DATA PLANE SETS MODEL.zip[@OFFSET]...}; SETS:
 * {@code test} (the LFPW and HELEN test sets) or folders of DATA, comma-separated; OFFSET: the annotations'
 * offset from mirror symmetry that the average with the mirror image assumes, instead of the model's
 */
public final class EvaluateFaceModels {

	private EvaluateFaceModels() {}

	public static void main(final String[] args) {
		final Path data = Paths.get(args[0]);
		final int plane = Integer.parseInt(args[1]);
		final Map<String, AnnotatedStack> sets = new LinkedHashMap<>();
		for (final String folder : args[2].split(",")) {
			sets.put(folder.equals("test") ? "LFPW" : folder, testSet(data.resolve(folder.equals("test")
				? "ibug_subset/lfpw/testset" : folder), plane));
			if (folder.equals("test")) sets.put("HELEN", testSet(data.resolve("w300_extra/helen_test"), plane));
		}
		for (int i = 3; i < args.length; i++) {
			final String[] fileAndOffset = args[i].split("@");
			try (KeypointModel model = ModelFile.load(Paths.get(fileAndOffset[0]), Device.cpu())) {
				if (fileAndOffset.length > 1) model.description().setMirrorOffset(Double.parseDouble(fileAndOffset[1]));
				for (final boolean mirrored : new boolean[] { false, true }) {
					model.description().setAverageWithMirror(mirrored);
					final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %dx%d%s:", args[i],
						model.description().inputWidth(), model.description().inputHeight(), mirrored ? " mirror-averaged" : ""));
					for (final Map.Entry<String, AnnotatedStack> set : sets.entrySet()) {
						final long start = System.nanoTime();
						final Evaluation evaluation = Evaluation.of(model, set.getValue(), Progress.NONE);
						final ErrorSummary original = evaluation.originalSummary().model();
						final double ms = (System.nanoTime() - start) / 1e6 / set.getValue().objects().size();
						final ij.measure.ResultsTable keypoints = evaluation.keypointTable(model.description().keypointNames());
						double dx = 0, dy = 0;
						for (int k = 0; k < keypoints.size(); k++) {
							dx += keypoints.getValue("Mean dx (original px)", k) / keypoints.size();
							dy += keypoints.getValue("Mean dy (original px)", k) / keypoints.size();
						}
						line.append(String.format(Locale.ROOT, " %s NME %.3f %% (MAE %.2f px, offset %+.2f %+.2f px, %.1f ms/face)",
							set.getKey(), evaluation.summary().model().nme(), original.mae(), dx, dy, ms));
					}
					System.out.println(line);
				}
			}
		}
	}

	private static AnnotatedStack testSet(final Path folder, final int plane) {
		return AnnotatedStack.read(LandmarkImporter.readPtsFolders(java.util.List.of(folder),
			new LandmarkImporter.Settings(2, plane, true), Progress.NONE).image(), null);
	}
}
