package io.github.keypointj;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** KeypointJ's own version, as Maven built it. */
public final class KeypointJVersion {

	private KeypointJVersion() {}

	public static String get() {
		try (InputStream in = KeypointJVersion.class.getResourceAsStream("version.properties")) {
			if (in == null) return "unknown";
			final Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version", "unknown");
		}
		catch (final IOException e) {
			return "unknown";
		}
	}
}
