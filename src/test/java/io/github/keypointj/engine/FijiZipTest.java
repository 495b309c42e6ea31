package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.Platform;
import ai.djl.util.cuda.CudaUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The natives of the Fiji zip ({@code mvn -Pdist package}), unzipped into the folder that
 * {@code -Dkeypointj.fiji.dir} names (scripts/check-dist does this; without the property the test does not run):
 * each platform folder holds its own platform's natives, DJL and KeypointJ take them there, and the JNI library
 * for each is in pytorch-jni. {@code -Dkeypointj.fiji.cuda=true} for the -cuda zip.
 */
@EnabledIfSystemProperty(named = "keypointj.fiji.dir", matches = ".+")
class FijiZipTest {

	/** A platform the zip serves: Fiji's folder for it, DJL's classifier, and what the JVM reports there. */
	private enum Target {
		LINUX("linux64", "linux-x86_64", "Linux", "amd64", "libdjl_torch.so", true),
		WINDOWS("win64", "win-x86_64", "Windows 11", "amd64", "djl_torch.dll", true),
		APPLE_SILICON("macos-arm64", "osx-aarch64", "Mac OS X", "aarch64", "libdjl_torch.dylib", false);

		final String folder;
		final String classifier;
		final String osName;
		final String osArch;
		final String jniLibrary;
		/** PyTorch has CUDA builds for this platform (none for macOS). */
		final boolean cuda;

		Target(final String folder, final String classifier, final String osName, final String osArch,
			final String jniLibrary, final boolean cuda)
		{
			this.folder = folder;
			this.classifier = classifier;
			this.osName = osName;
			this.osArch = osArch;
			this.jniLibrary = jniLibrary;
			this.cuda = cuda;
		}
	}

	private final Path jars = Paths.get(System.getProperty("keypointj.fiji.dir", "")).resolve("jars");
	private final boolean cudaZip = Boolean.getBoolean("keypointj.fiji.cuda");

	@Test
	void eachPlatformFolderHoldsItsOwnNativesWithTheirJniLibrary() throws IOException {
		final String torch = jniVersion().split("-")[0];
		for (final Target target : Target.values()) {
			final List<NativePackage> natives;
			try (URLClassLoader loader = loaderOver(jarsIn(jars.resolve(target.folder)))) {
				natives = NativePackage.onClassPath(loader);
			}
			final Set<String> flavors = natives.stream().map(NativePackage::flavor).collect(Collectors.toCollection(TreeSet::new));
			final Set<String> expected = cudaZip && target.cuda ? Set.of("cpu", "cu124") : Set.of("cpu");
			assertEquals(new TreeSet<>(expected), flavors, target.folder + ": " + natives);
			assertEquals(expected.size(), natives.size(), target.folder + " holds a flavor twice: " + natives);
			for (final NativePackage n : natives) {
				assertEquals(target.classifier, n.classifier(), target.folder + ": " + n);
				// DJL loads a JNI library only for the libtorch it was built against.
				assertEquals(torch, n.version().split("-")[0], target.folder + ": " + n + " beside pytorch-jni " + jniVersion());
				assertJniLibrary(target, n.flavor());
			}
			// KeypointJ's own gate, on a machine without a GPU.
			assertDoesNotThrow(() -> KeypointEngine.requireNatives(natives, target.classifier, 0), target.folder);
		}
	}

	@Test
	void jarsItselfHoldsNoNatives() throws IOException {
		// A native jar there would be fetched by every platform's Fiji, and loaded where it does not fit.
		try (URLClassLoader loader = loaderOver(jarsIn(jars))) {
			assertEquals(List.of(), NativePackage.onClassPath(loader));
		}
	}

	/**
	 * Fiji's launcher puts jars/*.jar and every jars/*&#47;*.jar on the class path, so all platforms' natives
	 * are there together: DJL must still pick each platform's own, as it would on that platform.
	 */
	@Test
	void djlPicksEachPlatformsOwnNativesFromAllOfThem() throws IOException {
		// Also initialises DJL's CUDA probe with the real os.name, before the test pretends another one.
		final boolean gpu = CudaUtils.getGpuCount() > 0;
		final List<Path> all = new ArrayList<>(jarsIn(jars));
		for (final Target target : Target.values()) {
			all.addAll(jarsIn(jars.resolve(target.folder)));
		}
		final Thread thread = Thread.currentThread();
		final ClassLoader context = thread.getContextClassLoader();
		final String osName = System.getProperty("os.name");
		final String osArch = System.getProperty("os.arch");
		try (URLClassLoader loader = loaderOver(all)) {
			thread.setContextClassLoader(loader);
			for (final Target target : Target.values()) {
				System.setProperty("os.name", target.osName);
				System.setProperty("os.arch", target.osArch);
				final Platform picked = Platform.detectPlatform("pytorch");
				assertFalse(picked.isPlaceholder(), target.folder + ": DJL would download");
				assertEquals(target.classifier, picked.getClassifier(), target.folder);
				// With a GPU, DJL takes CUDA natives built for the driver's CUDA version or an older one.
				final String flavor = gpu && cudaZip && target.cuda ? "cu124" : "cpu";
				assertEquals(flavor, picked.getFlavor(), target.folder + (gpu ? " (GPU with CUDA " + CudaUtils.getCudaVersionString() + ")" : ""));
				// The same rule as NativePackage.currentPlatform, which KeypointJ checks first.
				assertEquals(target.classifier, NativePackage.currentPlatform(), target.folder);
			}
		}
		finally {
			System.setProperty("os.name", osName);
			System.setProperty("os.arch", osArch);
			thread.setContextClassLoader(context);
		}
	}

	private void assertJniLibrary(final Target target, final String flavor) throws IOException {
		final String entry = "jnilib/" + target.classifier + "/" + flavor + "/" + target.jniLibrary;
		try (JarFile jni = new JarFile(jniJar().toFile())) {
			final ZipEntry library = jni.getEntry(entry);
			assertNotNull(library, jniJar().getFileName() + " lacks " + entry);
			assertTrue(library.getSize() > 0, entry);
		}
	}

	private String jniVersion() throws IOException {
		try (JarFile jni = new JarFile(jniJar().toFile()); InputStream in = jni.getInputStream(jni.getEntry("jnilib/pytorch.properties"))) {
			final Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("jni_version");
		}
	}

	private Path jniJar() throws IOException {
		final List<Path> found = jarsIn(jars).stream().filter(p -> p.getFileName().toString().startsWith("pytorch-jni-"))
			.collect(Collectors.toList());
		assertEquals(1, found.size(), "pytorch-jni in " + jars + ": " + found);
		return found.get(0);
	}

	private static List<Path> jarsIn(final Path folder) throws IOException {
		assertTrue(Files.isDirectory(folder), folder + " is missing");
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
		}
	}

	/** Sees these jars only, not the build's class path (which has the Linux natives). */
	private static URLClassLoader loaderOver(final List<Path> jarFiles) {
		final URL[] urls = jarFiles.stream().map(p -> {
			try {
				return p.toUri().toURL();
			}
			catch (final MalformedURLException e) {
				throw new UncheckedIOException(e);
			}
		}).toArray(URL[]::new);
		return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
	}
}
