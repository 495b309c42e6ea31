package io.github.keypointj.io;

import ij.ImagePlus;

import java.util.List;

/**
 * What an importer made: the annotated stack, and one line for each file it skipped and why.
 *
 * @param image the stack, its keypoints in the overlay
 * @param skipped e.g. "02-3m.asf: 57 points, expected 58"
 */
public record ImportResult(ImagePlus image, List<String> skipped) {}
