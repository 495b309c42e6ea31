package io.github.keypointj.engine;

import ai.djl.util.cuda.CudaUtils;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's console quiet about what no user needs, so that what KeypointJ says (which natives,
 * which device: {@link KeypointEngine#get()}) is read. Seen on every run in Fiji: DJL's "Failed to detect
 * GPU count: CUDA driver version is insufficient" three times on a machine without a GPU, its INFO lines
 * ("Found matching platform", "PyTorch graph executor optimizer is enabled", thread counts), and libtorch's
 * C++ warnings on stderr ("AutoNonVariableTypeMode is deprecated", "Could not initialize NNPACK").
 * <p>
 * DJL's warnings and errors still show; libtorch's errors still show. {@code -Dkeypointj.engine_logs=true}
 * leaves everything as it is; a TORCH_CPP_LOG_LEVEL set by the user wins.
 */
final class EngineNoise {

	static final String PROPERTY = "keypointj.engine_logs";

	/** What libtorch reads for its C++ log level, once, when it loads. */
	static final String TORCH_LOG_LEVEL = "TORCH_CPP_LOG_LEVEL";

	private EngineNoise() {}

	/** Before the engine loads: DJL's own messages. */
	static void quietDjl() {
		if (Boolean.getBoolean(PROPERTY)) return;
		quietCudaProbe();
		quietDjlInfo();
	}

	/**
	 * After libtorch loaded, before it computes: its C++ log level to ERROR, as Python's torch sets it from
	 * TORCH_CPP_LOG_LEVEL when it starts (c10::initLogging; the C++ library alone never reads it).
	 *
	 * @param libtorch the folder of the loaded libtorch
	 */
	static void quietLibtorch(final String libtorch) {
		if (Boolean.getBoolean(PROPERTY)) return;
		if (System.getenv(TORCH_LOG_LEVEL) == null && !setEnvironment(TORCH_LOG_LEVEL, "ERROR")) return;
		final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		final boolean windows = os.startsWith("win");
		final String c10 = libtorch + "/" + (windows ? "c10.dll" : os.startsWith("mac") ? "libc10.dylib" : "libc10.so");
		try {
			NativeLibrary.getInstance(c10).getFunction(windows ? "?initLogging@c10@@YAXXZ" : "_ZN3c1011initLoggingEv")
				.invokeVoid(new Object[0]);
		}
		catch (final RuntimeException | LinkageError e) {
			// another libtorch: its warnings stay
		}
	}

	/** DJL's CUDA probe warns on every call where no driver answers; KeypointJ says what it found instead. */
	private static void quietCudaProbe() {
		try {
			final Field logging = CudaUtils.class.getDeclaredField("logging");
			logging.setAccessible(true);
			logging.setBoolean(null, false);
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			// another DJL version: its warnings stay
		}
	}

	/** DJL's INFO lines to WARN where Logback is the SLF4J binding (as in Fiji); other bindings keep theirs. */
	private static void quietDjlInfo() {
		final Logger djl = LoggerFactory.getLogger("ai.djl");
		try {
			final Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, djl.getClass().getClassLoader());
			final Method setLevel = djl.getClass().getMethod("setLevel", level);
			setLevel.invoke(djl, level.getField("WARN").get(null));
		}
		catch (final ReflectiveOperationException | LinkageError | RuntimeException e) {
			// not Logback
		}
	}

	/** Sets a variable in this process's C environment, which libtorch reads (Java's copy stays as it was). */
	static boolean setEnvironment(final String name, final String value) {
		try {
			if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win")) {
				final Function putenv = NativeLibrary.getInstance("ucrtbase").getFunction("_putenv_s");
				return putenv.invokeInt(new Object[] { name, value }) == 0;
			}
			final Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
			return setenv.invokeInt(new Object[] { name, value, 0 }) == 0;
		}
		catch (final RuntimeException | LinkageError e) {
			return false;
		}
	}
}
