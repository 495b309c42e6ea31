package io.github.keypointj;

/** KeypointJ's own version, from the jar's manifest (or "development" when run from classes). */
public final class KeypointJVersion {

	private KeypointJVersion() {}

	public static String get() {
		final String version = KeypointJVersion.class.getPackage().getImplementationVersion();
		return version != null ? version : "development";
	}
}
