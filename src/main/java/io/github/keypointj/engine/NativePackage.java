package io.github.keypointj.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A PyTorch native package found on the class path (a {@code pytorch-native-*} jar), read from its
 * {@code native/lib/pytorch.properties} the way DJL reads it.
 *
 * @param flavor "cpu" or a CUDA flavor such as "cu124"
 * @param classifier the platform, e.g. "linux-x86_64"
 * @param version the libtorch build, e.g. "2.5.1-20241113"
 * @param source where the properties were found (the jar)
 */
public record NativePackage(String flavor, String classifier, String version, String source) {

	static final String PROPERTIES = "native/lib/pytorch.properties";

	public boolean isCuda() {
		return flavor.startsWith("cu");
	}

	/** Whether this package was built for the machine we run on. */
	public boolean fitsPlatform(final String platformClassifier) {
		return classifier.equals(platformClassifier);
	}

	@Override
	public String toString() {
		return flavor + " " + classifier + " " + version;
	}

	/** The platform of this JVM in DJL's terms, e.g. "linux-x86_64". */
	public static String currentPlatform() {
		final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		final String prefix = os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : os;
		final String arch = System.getProperty("os.arch", "");
		return prefix + "-" + ("amd64".equals(arch) ? "x86_64" : arch);
	}

	/** Every PyTorch native package that {@code loader} can see. */
	public static List<NativePackage> onClassPath(final ClassLoader loader) {
		final List<NativePackage> found = new ArrayList<>();
		try {
			final Enumeration<URL> urls = loader.getResources(PROPERTIES);
			while (urls.hasMoreElements()) {
				final URL url = urls.nextElement();
				final Properties properties = new Properties();
				try (InputStream in = url.openStream()) {
					properties.load(in);
				}
				// A placeholder (no libraries listed) is a package that would download at first use.
				if (properties.getProperty("libraries", "").isEmpty()) continue;
				found.add(new NativePackage(properties.getProperty("flavor", "?"),
					properties.getProperty("classifier", "?"), properties.getProperty("version", "?"),
					jarOf(url)));
			}
		}
		catch (final IOException e) {
			// Treated as "nothing found": the caller's message says what is missing.
		}
		return found;
	}

	private static String jarOf(final URL url) {
		final String text = url.toString();
		final int bang = text.indexOf("!/");
		return bang < 0 ? text : text.substring(0, bang).replaceFirst("^jar:", "");
	}
}
