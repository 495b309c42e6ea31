package io.github.keypointj.engine;

import ai.djl.Device;
import io.github.keypointj.KeypointException;

/** Turns the user's device choice and the engine's facts into the devices to use, or a clear refusal. */
public final class DeviceSelector {

	private DeviceSelector() {}

	/**
	 * @return the devices for {@code choice}: every GPU for {@code gpu} and for {@code auto} when there
	 *         is one, otherwise the CPU
	 * @throws KeypointException for {@code gpu} without a usable GPU, saying what was found
	 */
	public static Device[] select(final DeviceChoice choice, final EngineFacts facts) {
		switch (choice) {
			case CPU:
				return new Device[] { Device.cpu() };
			case GPU:
				if (facts.gpuCount() == 0) throw new KeypointException(whyNoGpu(facts));
				return gpus(facts.gpuCount());
			case AUTO:
			default:
				return facts.gpuCount() > 0 ? gpus(facts.gpuCount()) : new Device[] { Device.cpu() };
		}
	}

	private static Device[] gpus(final int count) {
		final Device[] devices = new Device[count];
		for (int i = 0; i < count; i++) devices[i] = Device.gpu(i);
		return devices;
	}

	/** What to tell a user who asked for a GPU that cannot be used. */
	static String whyNoGpu(final EngineFacts facts) {
		final String found = "natives in use: " + String.join("; ", facts.nativePackages()) +
			(facts.nativesLocation() == null ? "" : " (" + facts.nativesLocation() + ")");
		if (!facts.cudaNatives()) {
			return "device=gpu was asked for, but the PyTorch natives are CPU-only (" + found + "). " +
				"Install KeypointJ built with the CUDA natives (mvn -Pcuda, pytorch-native-cu124), " +
				"or use device=auto or device=cpu.";
		}
		return "device=gpu was asked for, and the CUDA natives are present (" + found + "), " +
			"but PyTorch sees 0 GPUs. Check the NVIDIA driver (nvidia-smi), CUDA 12.4 compatibility " +
			"and CUDA_VISIBLE_DEVICES, or use device=auto or device=cpu.";
	}
}
