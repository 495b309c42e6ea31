package io.github.keypointj.io;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Finding and opening the images of a data set folder. */
public final class ImageFiles {

	private static final List<String> IMAGE_ENDINGS = List.of(".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif");

	private ImageFiles() {}

	/** The image files of a folder, sorted by name; other files are not images and are ignored. */
	public static List<Path> list(final Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(Files::isRegularFile).filter(ImageFiles::isImageName).sorted().collect(Collectors.toList());
		}
	}

	/** The image files of a folder and its subfolders, sorted by path (e.g. 300-W's lfpw_train and helen_train). */
	static List<Path> listTree(final Path folder) throws IOException {
		try (Stream<Path> files = Files.walk(folder)) {
			return files.filter(Files::isRegularFile).filter(ImageFiles::isImageName).sorted().collect(Collectors.toList());
		}
	}

	static boolean isImageName(final Path file) {
		final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return IMAGE_ENDINGS.stream().anyMatch(name::endsWith);
	}

	/** The file name without its ending. */
	static String baseName(final Path file) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	/** The lines of an annotation file; a clear message naming it when it cannot be read. */
	static List<String> readLines(final Path file) {
		try {
			return Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
		}
		catch (final IOException e) {
			throw new io.github.keypointj.KeypointException(file.getFileName() + ": cannot be read (" + e.getMessage() + ")");
		}
	}

	/**
	 * Opens an image, or returns null when ImageJ cannot read it (ImageJ reads some text files as empty
	 * images: those too). Quietly: ImageJ's opener reports a file it cannot read with IJ.error, a dialog
	 * in Fiji that stops the calling macro; redirected, it is one line in the Log, and the caller names
	 * the file and goes on.
	 */
	public static ImagePlus open(final Path file) {
		if (isCheckedByJava(file) && !decodesCleanly(file)) return null;
		return quietly(() -> IJ.openImage(file.toString()));
	}

	/**
	 * Opens a TIFF stack or an AVI movie as a virtual stack (planes read when asked for), quietly as
	 * {@link #open} does; null when ImageJ cannot read it.
	 */
	public static ImagePlus openVirtual(final Path file) {
		return quietly(() -> IJ.openVirtual(file.toString()));
	}

	private static ImagePlus quietly(final java.util.function.Supplier<ImagePlus> opener) {
		final boolean redirected = IJ.redirectingErrorMessages();
		IJ.redirectErrorMessages(true);
		try {
			final ImagePlus image = opener.get();
			return image == null || image.getProcessor() == null || image.getWidth() < 2 || image.getHeight() < 2
				? null : image;
		}
		catch (final RuntimeException e) { // a reader's own failure on a damaged file
			return null;
		}
		finally {
			IJ.redirectErrorMessages(redirected);
		}
	}

	/**
	 * Formats Java decodes itself, checked before ImageJ's opener sees them: inside a command a macro ran,
	 * ImageJ reports a file it cannot read by aborting that macro, redirected or not (IJ.error with the
	 * macro's interpreter set), so a damaged JPEG in an import folder stopped the calling macro after the
	 * importer had skipped it by name.
	 */
	private static final List<String> CHECKED_ENDINGS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp");

	private static boolean isCheckedByJava(final Path file) {
		final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return CHECKED_ENDINGS.stream().anyMatch(name::endsWith);
	}

	/** Whether Java's decoder reads the whole image without an error or a warning (a truncated file warns). */
	static boolean decodesCleanly(final Path file) {
		try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
			final Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
			if (readers == null || !readers.hasNext()) return false;
			final ImageReader reader = readers.next();
			try {
				final boolean[] warned = new boolean[1];
				reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
				reader.setInput(in, true, true);
				reader.read(0);
				return !warned[0];
			}
			finally {
				reader.dispose();
			}
		}
		catch (final IOException | RuntimeException e) {
			return false;
		}
	}

	/** The first plane as RGB, or as 8-bit gray using the luma weights (0.299, 0.587, 0.114). */
	static ImageProcessor convert(final ImagePlus image, final boolean rgb) {
		final ImageProcessor processor = image.getProcessor();
		if (rgb) return processor instanceof ColorProcessor ? processor : processor.convertToRGB();
		if (processor instanceof ColorProcessor) {
			final ColorProcessor color = (ColorProcessor) processor.duplicate();
			color.setRGBWeights(0.299, 0.587, 0.114);
			return color.convertToByte(false);
		}
		return processor.convertToByte(true);
	}
}
