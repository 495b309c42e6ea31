package io.github.keypointj.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import ij.IJ;
import io.github.keypointj.KeypointException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one place where the deep-learning engine is set up: PyTorch through DJL, offline, with natives
 * from a jar on the class path, never a download.
 */
public final class KeypointEngine {

	public static final String ENGINE_NAME = "PyTorch";
	/** System property: threads per operation (PyTorch's intra-op threads). */
	public static final String THREADS_PROPERTY = "keypointj.threads";
	/** System property: operations run side by side (PyTorch's inter-op threads). */
	public static final String INTEROP_THREADS_PROPERTY = "keypointj.interop_threads";

	/**
	 * System property: the convolution path, {@code auto} (default: the fastest that the numerical check
	 * finds correct), {@code onednn}, {@code aligned} or {@code native} (see {@link ConvolutionPath}).
	 */
	public static final String CONVOLUTIONS_PROPERTY = "keypointj.convolutions";

	private static Engine engine;
	private static ConvolutionChoice convolutions;
	/** PyTorch's oneDNN switch, or null where libtorch lacks it ({@link #oneDnnMissing} says why). */
	private static volatile OneDnnSwitch oneDnn;
	private static String oneDnnMissing;
	/** Every convolution shape checked so far (unnamed): the networks' at their design inputs, then models' own. */
	private static final Map<ConvolutionShape, ConvolutionShape> checkedShapes = new LinkedHashMap<>();
	/** The networks' training steps checked so far, by name, checked again whenever the path is chosen again. */
	private static final Map<String, ConvolutionCheck.NetworkStep> checkedSteps = new LinkedHashMap<>();

	private KeypointEngine() {}

	/**
	 * Switches DJL to offline mode. Must run before any DJL engine class is touched: DJL reads these
	 * properties when its classes initialise (and would otherwise "call home").
	 */
	static void forbidDownloads() {
		System.setProperty("ai.djl.offline", "true");
		System.setProperty("OPT_OUT_TRACKING", "true");
		System.setProperty("ai.djl.default_engine", ENGINE_NAME);
	}

	/**
	 * @return the PyTorch engine, loaded on first use
	 * @throws KeypointException when the natives are missing or cannot be loaded
	 */
	public static synchronized Engine get() {
		if (engine != null) return engine;
		forbidDownloads();
		EngineNoise.quietDjl();
		final List<NativePackage> natives = NativePackage.onClassPath(classLoader());
		requireNatives(natives, NativePackage.currentPlatform(), CudaUtils.getGpuCount());
		applyThreadSettings();
		NativeMemory.keepFreedMemory();
		final Engine loaded;
		try {
			loaded = Engine.getEngine(ENGINE_NAME);
		}
		catch (final RuntimeException | LinkageError | AssertionError e) {
			throw new KeypointException("The PyTorch natives could not be loaded (" + e.getMessage() +
				"). Found: " + describe(natives) + ".", e);
		}
		EngineNoise.quietLibtorch(LibUtils.getLibtorchPath());
		findOneDnnSwitch();
		engine = loaded;
		IJ.log("KeypointJ: PyTorch " + loaded.getVersion() + ", natives " + describe(natives) + "; " + (loaded
			.getGpuCount() > 0 ? loaded.getGpuCount() + " GPU(s)" : "no GPU, on the CPU") + " (" + JniUtils.getNumThreads() +
			" threads).");
		return engine;
	}

	/**
	 * Makes sure that convolutions run on a path that computes right for {@code shapes}: the first call
	 * checks each path, fastest first, on these shapes and training steps and keeps the first right one
	 * (or the one forced by {@value #CONVOLUTIONS_PROPERTY}); later calls check shapes and steps not seen
	 * yet (another network, a model at another input size, a first training) on the path in use, and
	 * where it is wrong for them, choose again among the slower paths, on everything checked so far. Call
	 * it before a network convolves; it is quick once all is checked.
	 *
	 * @throws KeypointException when the property names no path, or one this engine cannot take
	 */
	public static synchronized void verifyConvolutions(final List<ConvolutionShape> shapes,
		final List<ConvolutionCheck.NetworkStep> steps)
	{
		get();
		final List<ConvolutionShape> unchecked = new ArrayList<>();
		for (final ConvolutionShape shape : shapes) {
			if (checkedShapes.putIfAbsent(shape.unnamed(), shape) == null) unchecked.add(shape);
		}
		final List<ConvolutionCheck.NetworkStep> uncheckedSteps = new ArrayList<>();
		for (final ConvolutionCheck.NetworkStep step : steps) {
			if (checkedSteps.putIfAbsent(step.name(), step) == null) uncheckedSteps.add(step);
		}
		if (convolutions == null) {
			convolutions = chooseConvolutions(ConvolutionPath.parseForced(System.getProperty(CONVOLUTIONS_PROPERTY),
				CONVOLUTIONS_PROPERTY), ConvolutionPath.ONEDNN);
			logNotice();
			return;
		}
		if (unchecked.isEmpty() && uncheckedSteps.isEmpty()) return;
		if (ConvolutionCheck.run(unchecked, uncheckedSteps, Convolutions::forward).passed()) return;
		convolutions = chooseConvolutions(convolutions.forced() ? convolutions.path() : null, convolutions.path());
		logNotice();
	}

	private static void logNotice() {
		final String notice = convolutions.notice();
		if (notice != null) log(notice);
	}

	/** Tells the user what the engine chose or found (ImageJ's Log window; the console when headless). */
	public static void log(final String message) {
		IJ.log("KeypointJ: " + message);
	}

	/**
	 * Runs the numerical check of the networks' convolutions on each path from {@code from} on, fastest
	 * first, and keeps the first that computes right: oneDNN's kernels compute wrong results on some CPUs
	 * (docs/ENGINE.md). Other threads keep the active path meanwhile; only the check of {@code native}
	 * switches oneDNN off for all, which is right for every path.
	 */
	private static ConvolutionChoice chooseConvolutions(final ConvolutionPath forced, final ConvolutionPath from) {
		final Set<ConvolutionPath> available = oneDnn != null ? EnumSet.allOf(ConvolutionPath.class)
			: EnumSet.of(ConvolutionPath.ONEDNN, ConvolutionPath.ALIGNED);
		final List<ConvolutionShape> shapes = List.copyOf(checkedShapes.values());
		final List<ConvolutionCheck.NetworkStep> steps = List.copyOf(checkedSteps.values());
		final Supplier<ConvolutionChoice> choose = () -> ConvolutionChoice.choose(forced, from, available, oneDnnMissing,
			path -> {
				if (oneDnn != null) oneDnn.setEnabled(path != ConvolutionPath.NATIVE);
				return Convolutions.checkingOn(path, () -> ConvolutionCheck.run(shapes, steps, Convolutions::forward));
			});
		final ConvolutionChoice choice = oneDnn != null ? oneDnn.exclusively(choose) : choose.get();
		use(choice.path());
		return choice;
	}

	private static void findOneDnnSwitch() {
		try {
			oneDnn = OneDnnSwitch.find(LibUtils.getLibtorchPath());
		}
		catch (final RuntimeException | LinkageError e) {
			oneDnnMissing = "native is not available: this libtorch does not export the switch for oneDNN (" +
				e.getMessage() + ")";
		}
	}

	/** Whether PyTorch's switch for oneDNN is on now (where it can be switched). */
	static boolean oneDnnEnabled() {
		return oneDnn == null || oneDnn.isEnabled();
	}

	/** Whether a convolution can run with oneDNN off ({@link #withoutOneDnn}). */
	static boolean canSwitchOneDnnOff() {
		return oneDnn != null;
	}

	/**
	 * Runs {@code convolution} on PyTorch's own kernels, oneDNN switched off while it runs (and, the switch
	 * being the process's, for other threads' convolutions meanwhile: right on every CPU, maybe slower).
	 */
	static <T> T withoutOneDnn(final Supplier<T> convolution) {
		final OneDnnSwitch loaded = oneDnn;
		if (loaded == null) throw new IllegalStateException("oneDNN cannot be switched off: " + oneDnnMissing);
		return loaded.off(convolution);
	}

	private static void use(final ConvolutionPath path) {
		if (oneDnn != null) oneDnn.setEnabled(path != ConvolutionPath.NATIVE);
		Convolutions.use(path);
	}

	/** The convolution path in use and why, or null before the first {@link #verifyConvolutions}. */
	public static synchronized ConvolutionChoice convolutions() {
		return convolutions;
	}

	/**
	 * Thread counts chosen by the user, read before the engine starts: the system property
	 * {@value #THREADS_PROPERTY} (or the environment variable KEYPOINTJ_THREADS) for threads per
	 * operation, and {@value #INTEROP_THREADS_PROPERTY} for operations run side by side.
	 */
	private static void applyThreadSettings() {
		final String threads = System.getProperty(THREADS_PROPERTY, System.getenv("KEYPOINTJ_THREADS"));
		if (threads != null) System.setProperty("ai.djl.pytorch.num_threads", positive(threads, THREADS_PROPERTY));
		final String interop = System.getProperty(INTEROP_THREADS_PROPERTY);
		if (interop != null) System.setProperty("ai.djl.pytorch.num_interop_threads", positive(interop, INTEROP_THREADS_PROPERTY));
	}

	private static String positive(final String value, final String name) {
		try {
			if (Integer.parseInt(value.trim()) > 0) return value.trim();
		}
		catch (final NumberFormatException e) {
			// reported below
		}
		throw new KeypointException(name + ": '" + value + "' is not a positive number of threads.");
	}

	/** Fails with a clear message, before DJL tries anything, when no usable native package is there. */
	static void requireNatives(final List<NativePackage> natives, final String platform, final int visibleGpus) {
		final boolean cpuNatives = natives.stream().anyMatch(n -> n.fitsPlatform(platform) && !n.isCuda());
		final boolean cudaNatives = natives.stream().anyMatch(n -> n.fitsPlatform(platform) && n.isCuda());
		if (cpuNatives) return;
		if (cudaNatives) {
			// DJL takes a CUDA package only where it sees a GPU; elsewhere it would try to download.
			if (visibleGpus == 0) {
				throw new KeypointException("Only CUDA natives for PyTorch are installed (" + describe(natives) +
					") and this machine has no usable GPU. Add ai.djl.pytorch:pytorch-native-cpu:2.5.1 (" + platform +
					") next to them; KeypointJ never downloads natives.");
			}
			return;
		}
		throw new KeypointException("No PyTorch natives for " + platform + " on the class path (found: " +
			describe(natives) + "). KeypointJ needs the jar ai.djl.pytorch:pytorch-native-cpu:2.5.1 with classifier " +
			platform + " (or pytorch-native-cu124 for GPUs) next to it, e.g. in Fiji.app/jars/. It never downloads natives.");
	}

	private static String describe(final List<NativePackage> natives) {
		return natives.isEmpty() ? "none" : natives.stream().map(NativePackage::toString).collect(Collectors.joining("; "));
	}

	private static ClassLoader classLoader() {
		final ClassLoader context = Thread.currentThread().getContextClassLoader();
		return context != null ? context : KeypointEngine.class.getClassLoader();
	}

	/** Sets how many threads one operation may use (PyTorch's intra-op threads); 0 or less keeps the current number. */
	public static void setThreads(final int threads) {
		if (threads <= 0) return;
		get();
		JniUtils.setNumThreads(threads);
	}

	/** Switches off gradient recording on this thread: PyTorch keeps that switch per thread. */
	public static void inferenceMode() {
		get();
		JniUtils.setGradMode(false);
	}

	/** What the engine found, for device selection and diagnostics. */
	public static EngineFacts facts() {
		final Engine e = get();
		final List<NativePackage> natives = NativePackage.onClassPath(classLoader());
		return new EngineFacts(e.getEngineName(), e.getVersion(),
			natives.stream().map(NativePackage::toString).collect(Collectors.toList()),
			e.hasCapability(StandardCapabilities.CUDA), e.getGpuCount(), LibUtils.getLibtorchPath(),
			JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), Utils.isOfflineMode());
	}

	/** The devices for the user's choice; a clear message when a GPU is asked for and missing. */
	public static Device[] devices(final DeviceChoice choice) {
		return DeviceSelector.select(choice, facts());
	}
}
