package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.util.Utils;
import io.github.keypointj.KeypointException;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeypointEngineTest {

	private static final NativePackage CPU = new NativePackage("cpu", "linux-x86_64", "2.5.1-20241113", "cpu.jar");
	private static final NativePackage CUDA = new NativePackage("cu124", "linux-x86_64", "2.5.1-20241113", "cu124.jar");

	/**
	 * The engine loads in offline mode, from the native jar on the class path. In offline mode every
	 * DJL download fails (Utils.openUrl refuses http), so a loaded engine proves nothing was fetched.
	 */
	@Test
	void loadsOfflineFromTheNativeJar() {
		final EngineFacts facts = KeypointEngine.facts();
		assertTrue(Utils.isOfflineMode());
		assertTrue(facts.offline());
		assertEquals("PyTorch", facts.engineName());
		assertTrue(facts.engineVersion().startsWith("2.5.1"), facts.engineVersion());
		assertTrue(facts.nativePackages().stream().anyMatch(p -> p.startsWith("cpu linux-x86_64 2.5.1")),
			facts.nativePackages().toString());
		final Path natives = Paths.get(facts.nativesLocation());
		assertTrue(natives.resolve("libtorch_cpu.so").toFile().isFile(), natives.toString());
		assertTrue(Boolean.getBoolean("ai.djl.offline"));
	}

	@Test
	void thisMachineHasNoGpuSoGpuIsRefusedAndAutoIsTheCpu() {
		assertArrayEquals(new Device[] { Device.cpu() }, KeypointEngine.devices(DeviceChoice.AUTO));
		final KeypointException e = assertThrows(KeypointException.class, () -> KeypointEngine.devices(DeviceChoice.GPU));
		assertTrue(e.getMessage().startsWith("device=gpu was asked for"), e.getMessage());
	}

	@Test
	void threadsCanBeSet() {
		final int before = KeypointEngine.facts().intraOpThreads();
		try {
			KeypointEngine.setThreads(1);
			assertEquals(1, KeypointEngine.facts().intraOpThreads());
		}
		finally {
			KeypointEngine.setThreads(before);
		}
	}

	@Test
	void missingNativesAreNamedBeforeDjlTriesToDownload() {
		final KeypointException none = assertThrows(KeypointException.class,
			() -> KeypointEngine.requireNatives(List.of(), "linux-x86_64", 0));
		assertTrue(none.getMessage().contains("pytorch-native-cpu:2.5.1"), none.getMessage());
		assertTrue(none.getMessage().contains("never downloads"), none.getMessage());

		final NativePackage mac = new NativePackage("cpu", "osx-aarch64", "2.5.1", "mac.jar");
		assertThrows(KeypointException.class, () -> KeypointEngine.requireNatives(List.of(mac), "linux-x86_64", 0));

		final KeypointException cudaOnly = assertThrows(KeypointException.class,
			() -> KeypointEngine.requireNatives(List.of(CUDA), "linux-x86_64", 0));
		assertTrue(cudaOnly.getMessage().contains("no usable GPU"), cudaOnly.getMessage());

		assertDoesNotThrow(() -> KeypointEngine.requireNatives(List.of(CUDA), "linux-x86_64", 1));
		assertDoesNotThrow(() -> KeypointEngine.requireNatives(List.of(CPU, CUDA), "linux-x86_64", 0));
		assertFalse(CPU.isCuda());
	}
}
