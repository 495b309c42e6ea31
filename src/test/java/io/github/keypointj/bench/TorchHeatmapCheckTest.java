package io.github.keypointj.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keypointj.nets.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's PyTorch HeatmapNet and HeatmapNet-fine are KeypointJ's networks; skipped where Debian's
 * python3-torch is missing.
 */
class TorchHeatmapCheckTest {

	@Test
	void thePyTorchHeatmapNetsAreKeypointJsNetworks(@TempDir final Path folder) throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) && Benchmark.run(List.of("/usr/bin/python3", "-c",
			"import torch; print('torch', torch.__version__)")).stream().anyMatch(line -> line.startsWith("torch ")),
			"no PyTorch for /usr/bin/python3 (apt-get install python3-torch)");
		for (final Architecture architecture : List.of(Architecture.HEATMAP_NET, Architecture.FINE_HEATMAP_NET)) {
			final TorchHeatmapCheck.Result result = TorchHeatmapCheck.run(Path.of("scripts", "heatmap_net_torch.py"),
				folder, architecture);
			assertTrue(result.same(), architecture.label() + ": " + result);
			assertTrue(result.torchParameters() > 11_000_000, result.toString());
		}
	}
}
