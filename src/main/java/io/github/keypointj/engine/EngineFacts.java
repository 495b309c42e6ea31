package io.github.keypointj.engine;

import java.util.List;

/**
 * What the deep-learning engine found on this machine: the facts behind device selection and the
 * About KeypointJ report.
 *
 * @param engineName the DJL engine, e.g. "PyTorch"
 * @param engineVersion the engine's native version, e.g. "2.5.1"
 * @param nativePackages the native packages on the class path, e.g. "cpu linux-x86_64 2.5.1-20241113"
 * @param cudaNatives whether the natives in use were built with CUDA
 * @param gpuCount the number of GPUs the engine can use
 * @param nativesLocation the folder the natives were loaded from
 * @param intraOpThreads threads one operation may use
 * @param interOpThreads threads for running operations side by side
 * @param offline whether downloads are switched off (always true for KeypointJ)
 */
public record EngineFacts(
	String engineName,
	String engineVersion,
	List<String> nativePackages,
	boolean cudaNatives,
	int gpuCount,
	String nativesLocation,
	int intraOpThreads,
	int interOpThreads,
	boolean offline)
{}
