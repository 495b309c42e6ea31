package io.github.keypointj.demo;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.plugin.filter.GaussianBlur;
import ij.process.ByteProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A made-up open-field video as a DeepLabCut project, for measuring the whole-frame recipe without anyone's
 * data: 640x480 gray frames of an arena (floor with vignetting, walls, bedding specks, noise, a slight blur)
 * and one mouse-like animal walking through it (a dark body and head bending against each other, lighter
 * ears 20 px apart, a tail; about 100 px from snout to tail base's end), labelled snout, leftear (the
 * animal's left), rightear, tailbase. The frames are split at random in two halves, written as two videos'
 * {@code labeled-data} folders ({@code openfield_train}, {@code openfield_test}) with DeepLabCut's
 * CollectedData CSV, and a config.yaml. Not DeepLabCut's data, and easier than a real video (no shadows,
 * no rearing, no occlusion): it checks that a whole-frame recipe works, not how it compares.
 */
public final class SyntheticOpenField {

	public static final List<String> BODYPARTS = List.of("snout", "leftear", "rightear", "tailbase");
	public static final int WIDTH = 640, HEIGHT = 480;
	static final String SCORER = "sim";

	private SyntheticOpenField() {}

	/** Writes the project into {@code project}; returns the two CollectedData files, training's first. */
	public static List<Path> write(final Path project, final int frames, final long seed) throws IOException {
		final Random random = new Random(seed);
		final ByteProcessor arena = arena(random);
		final List<Integer> order = new ArrayList<>();
		for (int i = 0; i < frames; i++) order.add(i);
		Collections.shuffle(order, random);
		final List<Integer> train = order.subList(0, frames / 2);
		final List<Path> files = new ArrayList<>();
		final StringBuilder[] csv = { header(), header() };
		final Path[] folders = { Files.createDirectories(project.resolve("labeled-data/openfield_train")), Files
			.createDirectories(project.resolve("labeled-data/openfield_test")) };
		// the animal's state: centre, heading, bend of the head, speed
		double x = WIDTH / 2.0, y = HEIGHT / 2.0, heading = random.nextDouble() * 2 * Math.PI, bend = 0;
		for (int frame = 0; frame < frames; frame++) {
			heading += 0.18 * random.nextGaussian();
			bend = 0.8 * bend + 0.15 * random.nextGaussian();
			bend = Math.max(-0.6, Math.min(0.6, bend));
			final double speed = Math.max(0, 5 + 3 * random.nextGaussian());
			final double toCentre = Math.atan2(HEIGHT / 2.0 - y, WIDTH / 2.0 - x);
			if (x < 130 || x > WIDTH - 130 || y < 120 || y > HEIGHT - 120) { // turn away from the walls
				heading += 0.35 * Math.sin(toCentre - heading);
			}
			x += speed * Math.cos(heading);
			y += speed * Math.sin(heading);
			final Pose pose = new Pose(x, y, heading, bend, 0.02 * random.nextGaussian());
			final ByteProcessor image = render(arena, pose, random);
			final int set = train.contains(frame) ? 0 : 1;
			final String name = String.format(Locale.ROOT, "img%03d.png", frame);
			new FileSaver(new ImagePlus(name, image)).saveAsPng(folders[set].resolve(name).toString());
			csv[set].append("labeled-data,").append(folders[set].getFileName()).append(',').append(name);
			for (final double[] point : pose.keypoints()) {
				csv[set].append(String.format(Locale.ROOT, ",%.2f,%.2f", point[0], point[1]));
			}
			csv[set].append('\n');
		}
		for (int set = 0; set < 2; set++) {
			files.add(Files.writeString(folders[set].resolve("CollectedData_" + SCORER + ".csv"), csv[set]));
		}
		Files.writeString(project.resolve("config.yaml"), "Task: openfield\nscorer: " + SCORER + "\n" +
			"multianimalproject: false\nbodyparts:\n" + BODYPARTS.stream().map(b -> "- " + b + "\n").reduce("",
				String::concat));
		return files;
	}

	private static StringBuilder header() {
		final StringBuilder text = new StringBuilder("scorer,,");
		final StringBuilder parts = new StringBuilder("bodyparts,,"), coords = new StringBuilder("coords,,");
		for (final String bodypart : BODYPARTS) {
			text.append(',').append(SCORER).append(',').append(SCORER);
			parts.append(',').append(bodypart).append(',').append(bodypart);
			coords.append(",x,y");
		}
		return text.append('\n').append(parts).append('\n').append(coords).append('\n');
	}

	/** The animal: body centre, heading (radians, image coordinates: y down), the head's bend, the tail's curl. */
	private record Pose(double x, double y, double heading, double bend, double curl) {

		double[] body() {
			return new double[] { Math.cos(heading), Math.sin(heading) };
		}

		double[] head() {
			return new double[] { Math.cos(heading + bend), Math.sin(heading + bend) };
		}

		double[] headCentre() {
			final double[] u = body(), h = head();
			return new double[] { x + 18 * u[0] + 12 * h[0], y + 18 * u[1] + 12 * h[1] };
		}

		/** snout, left ear, right ear, tail base; "left" is the animal's, seen from above. */
		List<double[]> keypoints() {
			final double[] u = body(), h = head(), c = headCentre();
			final double[] left = { h[1], -h[0] };
			return List.of(new double[] { c[0] + 15 * h[0], c[1] + 15 * h[1] },
				new double[] { c[0] - 3 * h[0] + 10 * left[0], c[1] - 3 * h[1] + 10 * left[1] },
				new double[] { c[0] - 3 * h[0] - 10 * left[0], c[1] - 3 * h[1] - 10 * left[1] },
				new double[] { x - 30 * u[0], y - 30 * u[1] });
		}
	}

	/** The empty arena: floor with vignetting, walls, bedding specks. */
	private static ByteProcessor arena(final Random random) {
		final ByteProcessor floor = new ByteProcessor(WIDTH, HEIGHT);
		for (int py = 0; py < HEIGHT; py++) {
			for (int px = 0; px < WIDTH; px++) {
				final double r = Math.hypot((px - WIDTH / 2.0) / WIDTH, (py - HEIGHT / 2.0) / HEIGHT);
				final boolean wall = px < 40 || px >= WIDTH - 40 || py < 30 || py >= HEIGHT - 30;
				floor.set(px, py, (int) Math.round((wall ? 105 : 170) - 60 * r * r));
			}
		}
		for (int speck = 0; speck < 400; speck++) {
			final int cx = 40 + random.nextInt(WIDTH - 80), cy = 30 + random.nextInt(HEIGHT - 60);
			final int radius = 1 + random.nextInt(3), shade = random.nextInt(41) - 20;
			for (int dy = -radius; dy <= radius; dy++) {
				for (int dx = -radius; dx <= radius; dx++) {
					if (dx * dx + dy * dy <= radius * radius) floor.set(cx + dx, cy + dy, clamp(floor.get(cx + dx, cy + dy) +
						shade));
				}
			}
		}
		return floor;
	}

	/** A frame: the arena with the animal drawn in (2x2 samples a pixel), noise, a slight blur. */
	private static ByteProcessor render(final ByteProcessor arena, final Pose pose, final Random random) {
		final ByteProcessor image = (ByteProcessor) arena.duplicate();
		final double[] u = pose.body(), h = pose.head(), c = pose.headCentre();
		final List<double[]> points = pose.keypoints();
		// the tail: a curling line from the tail base, 70 px
		final List<double[]> tail = new ArrayList<>();
		double tx = points.get(3)[0], ty = points.get(3)[1], angle = Math.atan2(-u[1], -u[0]);
		for (int i = 0; i < 35; i++) {
			tail.add(new double[] { tx, ty });
			angle += pose.curl() * 1.5;
			tx += 2 * Math.cos(angle);
			ty += 2 * Math.sin(angle);
		}
		final int x0 = (int) Math.max(0, pose.x() - 110), x1 = (int) Math.min(WIDTH - 1, pose.x() + 110);
		final int y0 = (int) Math.max(0, pose.y() - 110), y1 = (int) Math.min(HEIGHT - 1, pose.y() + 110);
		for (int py = y0; py <= y1; py++) {
			for (int px = x0; px <= x1; px++) {
				double sum = 0;
				for (int s = 0; s < 4; s++) {
					final double sx = px + (s % 2 == 0 ? -0.25 : 0.25), sy = py + (s < 2 ? -0.25 : 0.25);
					double value = image.get(px, py);
					for (final double[] t : tail) if (Math.hypot(sx - t[0], sy - t[1]) < 1.8) value = 95;
					if (inEllipse(sx, sy, pose.x(), pose.y(), u, 32, 15)) value = 48;
					if (inEllipse(sx, sy, c[0], c[1], h, 16, 10)) value = 52;
					for (final double[] ear : points.subList(1, 3)) if (Math.hypot(sx - ear[0], sy - ear[1]) < 5) value = 115;
					sum += value;
				}
				image.set(px, py, (int) Math.round(sum / 4));
			}
		}
		for (int i = 0; i < WIDTH * HEIGHT; i++) image.set(i, clamp((int) Math.round(image.get(i) + 5 * random
			.nextGaussian())));
		new GaussianBlur().blurGaussian(image, 0.8);
		return image;
	}

	private static boolean inEllipse(final double px, final double py, final double cx, final double cy,
		final double[] axis, final double a, final double b)
	{
		final double dx = px - cx, dy = py - cy;
		final double along = dx * axis[0] + dy * axis[1], across = -dx * axis[1] + dy * axis[0];
		return along * along / (a * a) + across * across / (b * b) <= 1;
	}

	private static int clamp(final int value) {
		return Math.max(0, Math.min(255, value));
	}
}
