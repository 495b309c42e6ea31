package io.github.keypointj.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.keypointj.KeypointJVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The About KeypointJ report: what a user with an engine or GPU problem needs to tell us. */
public final class EngineReport {

	private EngineReport() {}

	public static List<String> lines() {
		final EngineFacts facts = KeypointEngine.facts();
		final List<String> lines = new ArrayList<>();
		lines.add("KeypointJ " + KeypointJVersion.get() + ", DJL " + Engine.getDjlVersion() + ", Java " +
			System.getProperty("java.version") + " (" + System.getProperty("os.name") + " " +
			System.getProperty("os.arch") + ")");
		lines.add("Engine: " + facts.engineName() + " " + facts.engineVersion() + (facts.cudaNatives() ? " with CUDA"
			: " (CPU only)") + "; downloads " + (facts.offline() ? "off" : "ON"));
		lines.add("Native packages: " + (facts.nativePackages().isEmpty() ? "none" : String.join("; ",
			facts.nativePackages())));
		lines.add("Natives loaded from: " + facts.nativesLocation());
		lines.add("GPUs: " + facts.gpuCount() + "; device=auto uses " + describe(DeviceSelector.select(DeviceChoice.AUTO,
			facts)));
		lines.add("Threads: " + facts.intraOpThreads() + " per operation, " + facts.interOpThreads() +
			" for parallel operations; " + Runtime.getRuntime().availableProcessors() + " processors");
		final ConvolutionChoice convolutions = KeypointEngine.convolutions();
		lines.add("Convolutions: " + (convolutions == null ? "not checked yet (checked before a model is first used)"
			: convolutions.describe()));
		lines.add("Inference: " + InferencePath.describe());
		lines.add("Inference layout: " + Convolutions.inferenceLayout());
		lines.add("Native memory: " + NativeMemory.status());
		lines.add("Java memory: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB maximum");
		return lines;
	}

	private static String describe(final Device[] devices) {
		return Arrays.stream(devices).map(Device::toString).collect(Collectors.joining(", "));
	}
}
