package io.github.keypointj.eval;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.measure.ResultsTable;
import io.github.keypointj.Progress;
import io.github.keypointj.data.Augmentation;
import io.github.keypointj.augment.SampleAugmenter;
import io.github.keypointj.KeypointException;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropOrigin;
import io.github.keypointj.data.KeypointOverlay;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlanePosition;
import io.github.keypointj.detect.KeypointDetector;
import io.github.keypointj.model.KeypointModel;
import io.github.keypointj.model.ModelDescription;
import io.github.keypointj.train.KeypointSelection;
import io.github.keypointj.train.ValidationSplit;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A model measured on an annotated stack: errors per object, their means and median, and the same for
 * the mean-shape baseline (the training set's mean shape, placed in each object's crop).
 *
 * @param truth the annotated objects
 * @param predictions the model's keypoints, one per object
 * @param errors per object
 * @param baseline per object, for the mean shape
 * @param baselineFromTraining whether the mean shape is the training set's (kept with the model), or
 *        for older models this stack's own
 * @param original per object, in the original image's pixels, for stacks cut from images (else empty)
 * @param originalBaseline the same for the baseline
 * @param origins per object, where its plane was cut from (stacks cut from images; else empty)
 */
public record Evaluation(List<PlaneKeypoints> truth, List<PlaneKeypoints> predictions, List<PointErrors> errors,
	List<PointErrors> baseline, boolean baselineFromTraining, List<PointErrors> original,
	List<PointErrors> originalBaseline, List<CropOrigin> origins)
{

	/**
	 * The objects of {@code stack} to evaluate and the keypoints the model learned.
	 *
	 * @param planes {@code all}, or as {@link ValidationSplit}: {@code slices 193-240}, {@code labels 33-40}
	 */
	public static AnnotatedStack select(final AnnotatedStack stack, final ModelDescription model, final String planes) {
		AnnotatedStack selected = stack;
		final String learned = model.trainingSettings().get("keypoints");
		if (model.keypointCount() != stack.keypointCount() && learned != null) {
			selected = KeypointSelection.select(stack, KeypointSelection.parse(learned, stack.keypointCount()));
		}
		if (model.keypointCount() != selected.keypointCount()) {
			throw new KeypointException("The model finds " + model.keypointCount() + " keypoints; '" + stack.image().getTitle() +
				"' is annotated with " + stack.keypointCount() + ".");
		}
		if (planes == null || planes.isBlank() || planes.trim().equalsIgnoreCase("all")) return selected;
		final List<PlaneKeypoints> chosen = new ArrayList<>();
		for (final int index : ValidationSplit.chosen(selected, planes, 1, "planes")) chosen.add(selected.objects().get(index));
		if (chosen.isEmpty()) {
			throw new KeypointException("planes=" + planes + " selects no annotated plane of '" + stack.image().getTitle() + "'.");
		}
		return new AnnotatedStack(selected.image(), chosen, selected.keypointNames(), 0, selected.mirror());
	}

	public static Evaluation of(final KeypointModel model, final AnnotatedStack annotated, final Progress progress) {
		return of(new KeypointDetector(model), annotated, progress);
	}

	/** As {@link #of(KeypointModel, AnnotatedStack, Progress)}, with the detector's model and its way of inferring. */
	public static Evaluation of(final KeypointDetector detector, final AnnotatedStack annotated, final Progress progress) {
		final ModelDescription description = detector.description();
		// In the boxes the model was trained in: a plane without a rectangle gives its points' box.
		final AnnotatedStack stack = description.crop().fromBox() ? annotated.withObjectBoxes() : annotated;
		final List<PlaneKeypoints> predictions = detector.predict(stack.image(), stack.objects(), progress);
		final float[] kept = description.meanShape();
		final float[] meanShape = kept != null ? kept
			: new SampleAugmenter(description, Augmentation.NONE).meanShape(stack.objects());
		final List<CropOrigin> origins = CropOrigin.read(stack.image());
		final List<PointErrors> errors = new ArrayList<>();
		final List<PointErrors> baseline = new ArrayList<>();
		final List<PointErrors> original = new ArrayList<>();
		final List<PointErrors> originalBaseline = new ArrayList<>();
		final List<CropOrigin> objectOrigins = new ArrayList<>();
		for (int i = 0; i < predictions.size(); i++) {
			final PlaneKeypoints truth = stack.objects().get(i);
			final PlaneKeypoints meanShapePlaced = KeypointDetector.toImage(truth.plane(), truth.region(), meanShape, description);
			errors.add(PointErrors.of(predictions.get(i), truth));
			baseline.add(PointErrors.of(meanShapePlaced, truth));
			if (!origins.isEmpty()) {
				final CropOrigin origin = origins.get(truth.plane().stackIndex() - 1);
				objectOrigins.add(origin);
				original.add(PointErrors.of(toOriginal(predictions.get(i), origin), toOriginal(truth, origin)));
				originalBaseline.add(PointErrors.of(toOriginal(meanShapePlaced, origin), toOriginal(truth, origin)));
			}
		}
		return new Evaluation(stack.objects().subList(0, predictions.size()), predictions, errors, baseline, kept != null,
			original, originalBaseline, objectOrigins);
	}

	private static PlaneKeypoints toOriginal(final PlaneKeypoints points, final CropOrigin origin) {
		final double[] x = new double[points.count()];
		final double[] y = new double[points.count()];
		for (int k = 0; k < x.length; k++) {
			final java.awt.geom.Point2D p = origin.toOriginal(points.x()[k], points.y()[k]);
			x[k] = p.getX();
			y[k] = p.getY();
		}
		return new PlaneKeypoints(points.plane(), points.region(), x, y);
	}

	/**
	 * The model's figures beside those of the mean-shape baseline.
	 *
	 * @param model the model's
	 * @param meanShape the mean shape's, placed in each object's crop
	 */
	public record Summary(ErrorSummary model, ErrorSummary meanShape) {}

	/** Mean and median error, MAE and NME of the model and of the baseline. */
	public Summary summary() {
		return new Summary(ErrorSummary.of(errors), ErrorSummary.of(baseline));
	}

	/** The same in the original images' pixels (stacks cut from images), or null. */
	public Summary originalSummary() {
		return original.isEmpty() ? null : new Summary(ErrorSummary.of(original), ErrorSummary.of(originalBaseline));
	}

	/** One row per object: Slice, Label, Error (px), MAE (px), and NME (%) for 68-point faces. */
	public ResultsTable table(final ImagePlus image) {
		final ResultsTable table = new ResultsTable();
		for (int i = 0; i < truth.size(); i++) {
			final int slice = truth.get(i).plane().stackIndex();
			final String label = image.getStack().getSliceLabel(slice);
			table.incrementCounter();
			table.addValue("Slice", slice);
			table.addValue("Label", label == null ? "" : label);
			table.addValue("Error (px)", errors.get(i).meanError());
			table.addValue("MAE (px)", errors.get(i).mae());
			if (!Double.isNaN(errors.get(i).nme())) table.addValue("NME (%)", errors.get(i).nme());
			table.addValue("Baseline error (px)", baseline.get(i).meanError());
			if (!original.isEmpty()) {
				table.addValue("Error (original px)", original.get(i).meanError());
				table.addValue("MAE (original px)", original.get(i).mae());
			}
		}
		return table;
	}

	/** Two rows, the model and the mean-shape baseline: mean and median error, MAE, NME. */
	public ResultsTable summaryTable(final String modelName) {
		final ResultsTable table = new ResultsTable();
		final Summary summary = summary();
		final Summary originalSummary = originalSummary();
		final String[] rows = { modelName, "mean shape" + (baselineFromTraining ? " (training set)" : " (this stack)") };
		for (int r = 0; r < 2; r++) {
			final ErrorSummary figures = r == 0 ? summary.model() : summary.meanShape();
			table.incrementCounter();
			table.addValue("Predictor", rows[r]);
			table.addValue("Objects", truth.size());
			final int missing = PointErrors.missing(truth);
			if (missing > 0) table.addValue("Missing points", missing); // not labelled: left out of every figure
			table.addValue("Mean error (px)", figures.meanError());
			table.addValue("Median error (px)", figures.medianError());
			table.addValue("MAE (px)", figures.mae());
			if (figures.hasNme()) {
				table.addValue("NME (%)", figures.nme());
				// the parts of the model's errors (the baseline's points are not kept)
				final double[] parts = r == 0 ? partNme() : null;
				for (final FacePart part : FacePart.values()) {
					table.addValue("NME " + part.label() + " (%)", parts == null ? Double.NaN : parts[part.ordinal()]);
				}
			}
			if (originalSummary != null) {
				final ErrorSummary inOriginals = r == 0 ? originalSummary.model() : originalSummary.meanShape();
				table.addValue("Mean error (original px)", inOriginals.meanError());
				table.addValue("MAE (original px)", inOriginals.mae());
			}
		}
		return table;
	}

	/**
	 * One row per keypoint: its mean error over the objects in the planes' pixels, for 68-point faces its
	 * part and NME (% of the inter-ocular distance), and its mean offset, prediction minus truth (a
	 * systematic shift of the model's or of the annotations' shows there), in the original images' pixels
	 * for stacks cut from images, else in the planes'.
	 *
	 * @param names the keypoints' names
	 */
	public ResultsTable keypointTable(final List<String> names) {
		final int count = names.size();
		final double[] error = keypointMean(count, this::distance);
		final double[] nme = keypointNme(count);
		final double[] dx = keypointMean(count, (i, k) -> shift(i, k).getX());
		final double[] dy = keypointMean(count, (i, k) -> shift(i, k).getY());
		final String unit = origins.isEmpty() ? " (px)" : " (original px)";
		final ResultsTable table = new ResultsTable();
		for (int k = 0; k < count; k++) {
			table.incrementCounter();
			table.addValue("Keypoint", k);
			table.addValue("Name", names.get(k));
			if (count == FacePart.POINTS) table.addValue("Part", FacePart.of(k).label());
			table.addValue("Error (px)", error[k]);
			if (count == FacePart.POINTS) table.addValue("NME (%)", nme[k]);
			table.addValue("Mean dx" + unit, dx[k]);
			table.addValue("Mean dy" + unit, dy[k]);
		}
		return table;
	}

	/** A value of keypoint {@code k} of object {@code i}. */
	private interface KeypointValue {

		double of(int i, int k);
	}

	/**
	 * Per keypoint, the mean of {@code value} over the objects where it is labelled in the truth and the
	 * value is a number (issue 27 case 4: a missing point has no error); NaN where there are none.
	 */
	private double[] keypointMean(final int count, final KeypointValue value) {
		final int[] objects = new int[count];
		for (int i = 0; i < truth.size(); i++) {
			for (int k = 0; k < count; k++) {
				if (truth.get(i).isLabelled(k) && !Double.isNaN(value.of(i, k))) objects[k]++;
			}
		}
		final double[] mean = new double[count];
		for (int k = 0; k < count; k++) {
			if (objects[k] == 0) mean[k] = Double.NaN;
		}
		for (int i = 0; i < truth.size(); i++) {
			for (int k = 0; k < count; k++) {
				final double v = truth.get(i).isLabelled(k) ? value.of(i, k) : Double.NaN;
				if (!Double.isNaN(v)) mean[k] += v / objects[k];
			}
		}
		return mean;
	}

	/** Prediction minus truth of keypoint {@code k} of object {@code i}, in the original image where known. */
	private java.awt.geom.Point2D shift(final int i, final int k) {
		final PlaneKeypoints t = truth.get(i), p = predictions.get(i);
		if (origins.isEmpty()) return new java.awt.geom.Point2D.Double(p.x()[k] - t.x()[k], p.y()[k] - t.y()[k]);
		final java.awt.geom.Point2D predicted = origins.get(i).toOriginal(p.x()[k], p.y()[k]);
		final java.awt.geom.Point2D annotated = origins.get(i).toOriginal(t.x()[k], t.y()[k]);
		return new java.awt.geom.Point2D.Double(predicted.getX() - annotated.getX(), predicted.getY() - annotated.getY());
	}

	/**
	 * Per keypoint, the mean over objects of its error in % of the inter-ocular distance (NaN but for
	 * faces; a face missing an eye corner has none).
	 */
	private double[] keypointNme(final int count) {
		return keypointMean(count, (i, k) -> 100 * distance(i, k) / PointErrors.interOcular(truth.get(i)));
	}

	/** How far the prediction of keypoint {@code k} of object {@code i} is from the truth, in the plane's pixels. */
	private double distance(final int i, final int k) {
		final PlaneKeypoints t = truth.get(i), p = predictions.get(i);
		return Math.hypot(p.x()[k] - t.x()[k], p.y()[k] - t.y()[k]);
	}

	/** Per {@link FacePart}, the mean of its points' NME: every face weighs the same in each point's. */
	private double[] partNme() {
		final double[] nme = keypointNme(FacePart.POINTS);
		final double[] sum = new double[FacePart.values().length];
		final int[] points = new int[sum.length];
		for (int k = 0; k < FacePart.POINTS; k++) {
			sum[FacePart.of(k).ordinal()] += nme[k];
			points[FacePart.of(k).ordinal()]++;
		}
		for (int part = 0; part < sum.length; part++) sum[part] /= points[part];
		return sum;
	}

	/**
	 * The {@code k} best and {@code k} worst objects (by mean error) as a stack: each plane a copy of the
	 * object's plane with the truth in green and the prediction in red.
	 */
	public ImagePlus bestAndWorst(final ImagePlus image, final int k) {
		final Integer[] order = IntStream.range(0, errors.size()).boxed().toArray(Integer[]::new);
		Arrays.sort(order, Comparator.comparingDouble(i -> errors.get(i).meanError()));
		final int count = Math.min(k, order.length);
		final List<Integer> chosen = new ArrayList<>();
		final List<String> labels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			chosen.add(order[i]);
			labels.add("best " + (i + 1));
		}
		for (int i = 0; i < count; i++) {
			chosen.add(order[order.length - 1 - i]);
			labels.add("worst " + (i + 1));
		}
		final ImageStack planes = new ImageStack(image.getWidth(), image.getHeight());
		for (int i = 0; i < chosen.size(); i++) {
			final PlaneKeypoints truth = this.truth.get(chosen.get(i));
			final String label = image.getStack().getSliceLabel(truth.plane().stackIndex());
			planes.addSlice(String.format("%s: %s, %.2f px", labels.get(i), label != null ? label : "slice " +
				truth.plane().stackIndex(), errors.get(chosen.get(i)).meanError()),
				image.getStack().getProcessor(truth.plane().stackIndex()).duplicate());
		}
		final ImagePlus examples = new ImagePlus("Best and worst of " + image.getTitle(), planes);
		final Overlay overlay = new Overlay();
		for (int i = 0; i < chosen.size(); i++) {
			final PlanePosition plane = PlanePosition.of(examples, i + 1);
			overlay.add(colored(this.truth.get(chosen.get(i)), plane, examples, Color.GREEN));
			final PointRoi predicted = colored(predictions.get(chosen.get(i)), plane, examples, Color.RED);
			predicted.setProperty(KeypointOverlay.ROLE, KeypointOverlay.DETECTED); // not an annotation
			overlay.add(predicted);
		}
		examples.setOverlay(overlay);
		return examples;
	}

	private static PointRoi colored(final PlaneKeypoints points, final PlanePosition plane, final ImagePlus image,
		final Color color)
	{
		final PointRoi roi = KeypointOverlay.pointRoi(points.x(), points.y(), plane, image);
		roi.setStrokeColor(color);
		roi.setPointType(PointRoi.DOT);
		return roi;
	}
}
