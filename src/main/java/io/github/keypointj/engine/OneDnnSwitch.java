package io.github.keypointj.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.File;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * PyTorch's switch for its oneDNN (MKL-DNN) kernels, {@code torch.backends.mkldnn.enabled} in Python.
 * <p>
 * Neither DJL nor a C function of libtorch exposes it, so it is called where Python's binding calls
 * it: {@code at::globalContext().setUserEnabledMkldnn(bool)}, two C++ functions that libtorch_cpu
 * exports (they are part of ATen's public C++ API, stable since PyTorch 1.x). They are found by their
 * mangled names, the Itanium ABI's on Linux and macOS and MSVC's on Windows. If a build lacks them,
 * {@link #find} says why and KeypointJ runs without this way around oneDNN (the other ways and the
 * numerical check still work). PyTorch reads the switch at every convolution, forward and backward.
 * <p>
 * The switch is the process's: while one call runs with oneDNN off ({@link #off}), other threads'
 * convolutions run on PyTorch's own kernels too, which compute right on every CPU; what must not happen
 * is a call meant to run without oneDNN running with it (on a CPU where oneDNN is only right on padded
 * channels), nor a check of a path meeting such a call. So calls with oneDNN off share a read lock and
 * count themselves, and the path's setting and its check take the write lock.
 */
final class OneDnnSwitch {

	private static final String[][] SYMBOLS = {
		{ "_ZN2at13globalContextEv", "_ZN2at7Context20setUserEnabledMkldnnEb", "_ZNK2at7Context17userEnabledMkldnnEv" },
		{ "?globalContext@at@@YAAEAVContext@1@XZ", "?setUserEnabledMkldnn@Context@at@@QEAAX_N@Z",
			"?userEnabledMkldnn@Context@at@@QEBA_NXZ" } };

	private final Pointer context;
	private final Function setter;
	private final Function getter;

	private OneDnnSwitch(final Pointer context, final Function setter, final Function getter) {
		this.context = context;
		this.setter = setter;
		this.getter = getter;
	}

	/**
	 * @param nativesFolder the folder libtorch was loaded from
	 * @return the switch
	 * @throws UnsatisfiedLinkError saying what is missing, where libtorch lacks the functions
	 */
	static OneDnnSwitch find(final String nativesFolder) {
		final NativeLibrary torch = NativeLibrary.getInstance(new File(nativesFolder, libraryName()).getAbsolutePath());
		UnsatisfiedLinkError missing = null;
		for (final String[] names : SYMBOLS) {
			try {
				final Pointer context = torch.getFunction(names[0]).invokePointer(new Object[0]);
				return new OneDnnSwitch(context, torch.getFunction(names[1]), torch.getFunction(names[2]));
			}
			catch (final UnsatisfiedLinkError e) {
				missing = e;
			}
		}
		throw missing;
	}

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
	/** What the path in use wants, whatever calls with oneDNN off do meanwhile. */
	private boolean enabledForPath = true;
	private int callsWithoutOneDnn;

	/** Sets the switch for the path in use. */
	void setEnabled(final boolean enabled) {
		lock.writeLock().lock();
		try {
			enabledForPath = enabled;
			set(enabled);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	/** Runs {@code work} (a path's check with its settings) with no call switching oneDNN off meanwhile. */
	<T> T exclusively(final Supplier<T> work) {
		lock.writeLock().lock();
		try {
			return work.get();
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	/** Runs {@code work} with oneDNN off. */
	<T> T off(final Supplier<T> work) {
		lock.readLock().lock();
		try {
			synchronized (this) {
				if (callsWithoutOneDnn++ == 0 && enabledForPath) set(false);
			}
			try {
				return work.get();
			}
			finally {
				synchronized (this) {
					if (--callsWithoutOneDnn == 0 && enabledForPath) set(true);
				}
			}
		}
		finally {
			lock.readLock().unlock();
		}
	}

	private void set(final boolean enabled) {
		setter.invokeVoid(new Object[] { context, enabled ? 1 : 0 });
	}

	boolean isEnabled() {
		return (getter.invokeInt(new Object[] { context }) & 0xff) != 0;
	}

	private static String libraryName() {
		final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (os.startsWith("win")) return "torch_cpu.dll";
		return os.startsWith("mac") ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
	}
}
