package io.github.keypointj.objects;

import io.github.keypointj.augment.BatchLoader;
import io.github.keypointj.data.AnnotatedStack;
import io.github.keypointj.data.CropBox;
import io.github.keypointj.data.InputSampler;
import io.github.keypointj.data.PlaneKeypoints;
import io.github.keypointj.data.PlaneReader;
import io.github.keypointj.data.SourcePlane;
import io.github.keypointj.model.Normalization;

import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The object stage's training samples: scenes composed of annotated planes. A scene is one plane, at
 * any scale from a small part of the input to larger than it, or a grid of 2x2 or 3x3 cells each holding
 * a plane (or nothing) at its own scale, on a black, grey or noisy background; every plane may be
 * mirrored and get its own brightness and contrast, and an RGB one may lose its colour. Every annotated
 * object's box becomes a target; everything else in the scene, the inside of an object included, is a
 * place where no object is centred. So a stack of one object per plane, such as crops around faces,
 * teaches the stage scenes of several objects of many sizes (YOLO's mosaic, CenterNet's targets).
 */
public final class SceneComposer implements BatchLoader.Samples {

	private final AnnotatedStack stack;
	/** The stack indices of the planes to compose from, and the object boxes of each. */
	private final List<Integer> planes;
	private final Map<Integer, List<CropBox>> boxes;
	private final int channels;
	private final int side;
	private final Normalization normalization;

	/**
	 * @param planes stack indices (1-based) of annotated planes: the samples are numbered as this list is,
	 *        and each scene draws its other planes from it
	 */
	public SceneComposer(final AnnotatedStack stack, final List<Integer> planes, final int channels, final int side,
		final Normalization normalization)
	{
		this.stack = stack;
		this.planes = List.copyOf(planes);
		this.channels = channels;
		this.side = side;
		this.normalization = normalization;
		this.boxes = boxesByPlane(stack);
	}

	/** The object boxes of every annotated plane, by stack index. */
	static Map<Integer, List<CropBox>> boxesByPlane(final AnnotatedStack stack) {
		final Map<Integer, List<CropBox>> byPlane = new TreeMap<>();
		for (final PlaneKeypoints object : stack.withObjectBoxes().objects()) {
			byPlane.computeIfAbsent(object.plane().stackIndex(), key -> new ArrayList<>()).add(object.region());
		}
		return byPlane;
	}

	@Override
	public int inputSize() {
		return channels * side * side;
	}

	@Override
	public int targetSize() {
		return ObjectMaps.targetSize(side);
	}

	/** A composed scene: its pixels (one array per channel, intensities in [0, 1]) and its objects' boxes. */
	public record Scene(float[][] channels, int side, List<CropBox> boxes) {}

	@Override
	public void make(final int index, final Random random, final float[] inputs, final int inputOffset,
		final float[] targets, final int targetOffset)
	{
		final Scene scene = compose(index, random);
		for (int c = 0; c < channels; c++) {
			System.arraycopy(scene.channels()[c], 0, inputs, inputOffset + c * side * side, side * side);
		}
		normalization.normalize(inputs, inputOffset, side * side);
		ObjectMaps.writeTargets(scene.boxes(), side, targets, targetOffset);
	}

	/** The scene of sample {@code index}, its first plane that one, the rest drawn with {@code random}. */
	public Scene compose(final int index, final Random random) {
		final float[][] canvas = background(random);
		final List<CropBox> found = new ArrayList<>();
		final double layout = random.nextDouble();
		final int grid = layout < 0.35 ? 1 : layout < 0.7 ? 2 : 3;
		final double cell = side / (double) grid;
		for (int row = 0; row < grid; row++) {
			for (int column = 0; column < grid; column++) {
				final boolean first = row == 0 && column == 0;
				if (!first && random.nextDouble() < 0.15) continue; // an empty cell
				final int plane = first ? planes.get(index) : planes.get(random.nextInt(planes.size()));
				// One plane alone may be larger than the scene (a close-up); in a grid each fits its cell.
				final double scale = grid == 1 ? 0.3 + 1.2 * random.nextDouble() : 0.5 + 0.5 * random.nextDouble();
				place(plane, column * cell, row * cell, cell, scale, random, canvas, found);
			}
		}
		return new Scene(canvas, side, found);
	}

	/** A black (as padding), grey or noisy grey background. */
	private float[][] background(final Random random) {
		final float[][] canvas = new float[channels][side * side];
		final double kind = random.nextDouble();
		if (kind < 0.4) return canvas;
		final float level = (float) random.nextDouble();
		final float noise = kind < 0.8 ? 0 : (float) (0.2 * random.nextDouble());
		for (int i = 0; i < side * side; i++) {
			final float value = Math.max(0, Math.min(1, level + noise * (float) random.nextGaussian()));
			for (int c = 0; c < channels; c++) canvas[c][i] = value;
		}
		return canvas;
	}

	/**
	 * Draws {@code plane} into the square cell at ({@code cellX}, {@code cellY}) of side {@code cell}, at
	 * {@code scale} times the size that fits the cell, at a random place in it (or, larger than the cell,
	 * a random part of it); adds its objects' boxes, in scene area coordinates, whose centre is in view.
	 */
	private void place(final int plane, final double cellX, final double cellY, final double cell, final double scale,
		final Random random, final float[][] canvas, final List<CropBox> found)
	{
		final int width = stack.image().getWidth(), height = stack.image().getHeight();
		final double toScene = scale * cell / Math.max(width, height);
		final int tileWidth = Math.max(1, (int) Math.round(width * toScene));
		final int tileHeight = Math.max(1, (int) Math.round(height * toScene));
		final int x0 = (int) Math.round(cellX + (cell - tileWidth) * random.nextDouble());
		final int y0 = (int) Math.round(cellY + (cell - tileHeight) * random.nextDouble());
		// The part of the tile in view: within the cell, and within the scene.
		final int left = Math.max(x0, (int) Math.round(cellX)), top = Math.max(y0, (int) Math.round(cellY));
		final int right = Math.min(x0 + tileWidth, Math.min(side, (int) Math.round(cellX + cell)));
		final int bottom = Math.min(y0 + tileHeight, Math.min(side, (int) Math.round(cellY + cell)));
		if (right <= left || bottom <= top) return;
		final boolean mirror = random.nextBoolean();
		final double sx = tileWidth / (double) width, sy = tileHeight / (double) height;
		// view pixel (u, v) -> scene pixel (left + u, top + v) -> image pixel, mirrored or not (pixel centres at integers)
		final AffineTransform viewToImage = new AffineTransform();
		if (mirror) {
			viewToImage.translate(width - 1, 0);
			viewToImage.scale(-1, 1);
		}
		viewToImage.translate(-0.5, -0.5);
		viewToImage.scale(1 / sx, 1 / sy);
		viewToImage.translate(left - x0 + 0.5, top - y0 + 0.5);
		final int viewWidth = right - left, viewHeight = bottom - top;
		final float[] view = new float[channels * viewWidth * viewHeight];
		final SourcePlane source = SourcePlane.of(PlaneReader.read(stack.image(), plane, channels), width, height);
		InputSampler.sample(source.reduce(SourcePlane.usefulFactor(InputSampler.scale(viewToImage))), viewToImage, viewWidth,
			viewHeight, view, 0);
		jitter(view, viewWidth * viewHeight, random);
		for (int c = 0; c < channels; c++) {
			for (int v = 0; v < viewHeight; v++) {
				System.arraycopy(view, (c * viewHeight + v) * viewWidth, canvas[c], (top + v) * side + left, viewWidth);
			}
		}
		for (final CropBox box : boxes.get(plane)) {
			final double bx = mirror ? width - box.x() - box.width() : box.x();
			final CropBox scene = new CropBox(x0 + bx * sx, y0 + box.y() * sy, box.width() * sx, box.height() * sy);
			final double cx = scene.x() + scene.width() / 2, cy = scene.y() + scene.height() / 2;
			if (cx >= left && cx < right && cy >= top && cy < bottom) found.add(scene);
		}
	}

	/** Brightness and contrast of a tile, and for RGB sometimes its grey values alone. */
	private void jitter(final float[] view, final int size, final Random random) {
		final float contrast = (float) (0.6 + 0.8 * random.nextDouble());
		final float brightness = (float) (0.2 * random.nextDouble() - 0.1);
		final boolean grey = channels == 3 && random.nextDouble() < 0.15;
		for (int i = 0; i < size; i++) {
			if (grey) {
				final float luma = 0.299f * view[i] + 0.587f * view[size + i] + 0.114f * view[2 * size + i];
				for (int c = 0; c < 3; c++) view[c * size + i] = luma;
			}
			for (int c = 0; c < channels; c++) {
				final float value = (view[c * size + i] - 0.5f) * contrast + 0.5f + brightness;
				view[c * size + i] = Math.max(0, Math.min(1, value));
			}
		}
	}
}
