package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.keypointj.KeypointException;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Device choice on machines we do not have: the logic is the same, the facts differ. */
class DeviceSelectorTest {

	private static EngineFacts facts(final boolean cudaNatives, final int gpus) {
		return new EngineFacts("PyTorch", "2.5.1", List.of(cudaNatives ? "cu124 linux-x86_64 2.5.1" : "cpu linux-x86_64 2.5.1"),
			cudaNatives, gpus, "/cache/pytorch", 2, 1, true);
	}

	@Test
	void autoUsesEveryGpuElseTheCpu() {
		assertArrayEquals(new Device[] { Device.gpu(0), Device.gpu(1) }, DeviceSelector.select(DeviceChoice.AUTO, facts(true, 2)));
		assertArrayEquals(new Device[] { Device.cpu() }, DeviceSelector.select(DeviceChoice.AUTO, facts(true, 0)));
		assertArrayEquals(new Device[] { Device.cpu() }, DeviceSelector.select(DeviceChoice.AUTO, facts(false, 0)));
	}

	@Test
	void cpuIsTheCpuEvenWithGpus() {
		assertArrayEquals(new Device[] { Device.cpu() }, DeviceSelector.select(DeviceChoice.CPU, facts(true, 4)));
	}

	@Test
	void gpuUsesAllGpus() {
		assertArrayEquals(new Device[] { Device.gpu(0) }, DeviceSelector.select(DeviceChoice.GPU, facts(true, 1)));
	}

	@Test
	void gpuWithCpuNativesSaysSoAndHowToFixIt() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> DeviceSelector.select(DeviceChoice.GPU, facts(false, 0)));
		assertTrue(e.getMessage().contains("CPU-only"), e.getMessage());
		assertTrue(e.getMessage().contains("cpu linux-x86_64 2.5.1"), e.getMessage());
		assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
	}

	@Test
	void gpuWithCudaNativesButNoGpuSaysWhatWasFound() {
		final KeypointException e = assertThrows(KeypointException.class,
			() -> DeviceSelector.select(DeviceChoice.GPU, facts(true, 0)));
		assertTrue(e.getMessage().contains("CUDA natives are present"), e.getMessage());
		assertTrue(e.getMessage().contains("0 GPUs"), e.getMessage());
		assertTrue(e.getMessage().contains("nvidia-smi"), e.getMessage());
	}

	@Test
	void choicesParseAndBadOnesAreNamed() {
		assertEquals(DeviceChoice.GPU, DeviceChoice.parse(" GPU "));
		final KeypointException e = assertThrows(KeypointException.class, () -> DeviceChoice.parse("cuda"));
		assertEquals("device: 'cuda' is not one of auto, cpu, gpu.", e.getMessage());
	}
}
