package io.github.keypointj;

/**
 * Whether imagej-legacy (Fiji's bridge between ImageJ2 and ImageJ 1.x) is there, without depending on it.
 * This class references no ij class, so it can run before ImageJ 1.x is patched.
 */
public final class ImageJLegacy {

	static final String LEGACY_SERVICE = "net.imagej.legacy.LegacyService";

	private ImageJLegacy() {}

	/** Whether imagej-legacy is on the class path. */
	public static boolean present() {
		return legacyService(false);
	}

	/**
	 * Lets imagej-legacy patch ImageJ 1.x now, before a KeypointJ class loads an ij class: its
	 * LegacyService does so when its class initialises. Without imagej-legacy it does nothing.
	 */
	public static void primePatching() {
		legacyService(true);
	}

	private static boolean legacyService(final boolean initialize) {
		try {
			Class.forName(LEGACY_SERVICE, initialize, ImageJLegacy.class.getClassLoader());
			return true;
		}
		catch (final ClassNotFoundException e) {
			return false;
		}
	}
}
