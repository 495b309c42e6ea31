package io.github.keypointj.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.keypointj.KeypointException;
import io.github.keypointj.engine.KeypointEngine;

import org.junit.jupiter.api.Test;

class NetworksTest {

	@Test
	void noseNetHasTheReportsShapeAndSize() {
		// conv 1->12, 12->24, 24->32 (5x5 + bias), FC 32*4*6 -> 120 -> 2
		final long expected = (25 * 1 * 12 + 12) + (25 * 12 * 24 + 24) + (25 * 24 * 32 + 32) +
			(32 * 4 * 6 * 120 + 120) + (120 * 2 + 2);
		assertShapeAndCount(Architecture.NOSE_NET, 1, 1, 60, 80, expected);
	}

	@Test
	void faceNetHasTheReportsShapeAndSize() {
		// 160x120: conv to 12, 32, 64 each pooled -> 64 x 11 x 16; conv5 -> 128 x 7 x 12; conv5 -> 32 x 3 x 8
		final long expected = (25 * 1 * 12 + 12) + (25 * 12 * 32 + 32) + (25 * 32 * 64 + 64) +
			(25 * 64 * 128 + 128) + (25 * 128 * 32 + 32) + (32 * 3 * 8 * 160 + 160) + (160 * 116 + 116);
		assertShapeAndCount(Architecture.FACE_NET, 58, 1, 120, 160, expected);
	}

	@Test
	void resNet18MatchesTorchvision() {
		// torchvision resnet18 has 11,689,512 parameters with a 1000-class head (512*1000 + 1000);
		// with a 136-output head: 11,689,512 - 513,000 + 512*136 + 136.
		final long expected = 11_689_512L - 513_000L + 512L * 136 + 136;
		assertShapeAndCount(Architecture.RESNET18, 68, 3, 64, 64, expected);
	}

	@Test
	void heatmapNetIsResNet18sTrunkWithATopDownPath() {
		// torchvision resnet18 without its 1000-class head; the top-down path: 1x1 conv 512->128 + BN, and at
		// strides 16, 8 and 4 a lateral 1x1 conv (256, 128, 64 -> 128) + BN and a 3x3 conv 128->128 + BN;
		// the heatmaps: 1x1 conv 128 -> 68 with bias. BatchNorm: 2 x 128 trainable values each.
		final long trunk = 11_689_512L - 513_000L;
		final long mix = 9L * 128 * 128 + 256;
		final long topDown = (512L * 128 + 256) + (256L * 128 + 256 + mix) + (128L * 128 + 256 + mix) + (64L * 128 + 256 + mix);
		assertShapeAndCount(Architecture.HEATMAP_NET, 68, 3, 128, 128, trunk + topDown + 128L * 68 + 68);
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final Block block = Architecture.HEATMAP_NET.build(68);
			final Shape input = new Shape(2, 3, 128, 96);
			block.initialize(manager, DataType.FLOAT32, input);
			assertEquals(new Shape(2, 68, 32, 24), block.getOutputShapes(new Shape[] { input })[1], "a heatmap per keypoint, 1/4 of the input");
		}
	}

	@Test
	void fineHeatmapNetAddsALevelAtHalfTheInput() {
		// HeatmapNet without its 1x1 head, then: 1x1 conv 128->64 + BN (the quarter's output), the stem
		// convolution's lateral 1x1 conv 64->64 + BN, a 3x3 conv 64->64 + BN, and the head 1x1 conv 64 -> 68.
		final long trunk = 11_689_512L - 513_000L;
		final long mix = 9L * 128 * 128 + 256;
		final long topDown = (512L * 128 + 256) + (256L * 128 + 256 + mix) + (128L * 128 + 256 + mix) + (64L * 128 + 256 + mix);
		final long fineLevel = (128L * 64 + 128) + (64L * 64 + 128) + (9L * 64 * 64 + 128);
		assertShapeAndCount(Architecture.FINE_HEATMAP_NET, 68, 3, 128, 128, trunk + topDown + fineLevel + 64L * 68 + 68);
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final Block block = Architecture.FINE_HEATMAP_NET.build(68);
			final Shape input = new Shape(2, 3, 128, 96);
			block.initialize(manager, DataType.FLOAT32, input);
			assertEquals(new Shape(2, 68, 64, 48), block.getOutputShapes(new Shape[] { input })[1], "a heatmap per keypoint, 1/2 of the input");
		}
	}

	@Test
	void networksTakeAnyInputSizeChannelsAndKeypointCount() {
		for (final Architecture architecture : Architecture.values()) {
			try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
				final Block block = architecture.build(5);
				final Shape input = new Shape(2, 3, 110, 130);
				block.initialize(manager, DataType.FLOAT32, input);
				assertEquals(new Shape(2, 10), block.getOutputShapes(new Shape[] { input })[0], architecture.label());
			}
		}
	}

	@Test
	void inputsTooSmallOrTooLargeAreNamed() {
		assertEquals("FaceNet needs inputs of at least 100x100 pixels, not 160x90",
			Architecture.FACE_NET.inputSizeProblem(160, 90));
		assertEquals(null, Architecture.FACE_NET.inputSizeProblem(100, 100));
		assertEquals(null, Architecture.NOSE_NET.inputSizeProblem(2048, 2048));
		assertTrue(Architecture.NOSE_NET.inputSizeProblem(100000, 100000).startsWith(
			"network inputs can be at most 2048 pixels a side, not 100000x100000"));
		// The smallest accepted size really works: one pixel is left after the last convolution.
		for (final Architecture architecture : Architecture.values()) {
			int side = 1;
			while (architecture.inputSizeProblem(side, side) != null) side++;
			try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
				final Block block = architecture.build(1);
				block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, side, side));
			}
			final int accepted = side;
			try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
				final Block block = architecture.build(1);
				if (architecture != Architecture.RESNET18 && !architecture.heatmaps()) { // padded: any size runs
					assertThrows(RuntimeException.class,
						() -> block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, accepted - 1, accepted - 1)),
						architecture.label());
				}
			}
		}
	}

	@Test
	void noKeypointsIsAClearError() {
		assertThrows(KeypointException.class, () -> Architecture.NOSE_NET.build(0));
		final KeypointException e = assertThrows(KeypointException.class, () -> Architecture.fromLabel("ResNet50"));
		assertEquals("architecture: 'ResNet50' is not one of NoseNet, FaceNet, ResNet18, HeatmapNet, HeatmapNet-fine.", e.getMessage());
	}

	private static void assertShapeAndCount(final Architecture architecture, final int keypoints, final int channels,
		final int height, final int width, final long expectedTrainable)
	{
		try (NDManager manager = NDManager.newBaseManager(KeypointEngine.get().defaultDevice(), "PyTorch")) {
			final Block block = architecture.build(keypoints);
			final Shape input = new Shape(1, channels, height, width);
			block.initialize(manager, DataType.FLOAT32, input);
			assertEquals(new Shape(1, 2 * keypoints), block.getOutputShapes(new Shape[] { input })[0]);
			long trainable = 0;
			for (final Pair<String, Parameter> parameter : block.getParameters()) {
				if (parameter.getValue().requiresGradient()) trainable += parameter.getValue().getArray().size();
			}
			assertEquals(expectedTrainable, trainable);
		}
	}
}
