package io.github.keypointj.data;

/**
 * The keypoints of one object on one plane, in image pixel coordinates (pixel centres at
 * integers), in the model's point order.
 *
 * @param plane where
 * @param region the object's region: the whole plane, a selection or a box
 * @param x per keypoint
 * @param y per keypoint
 */
public record PlaneKeypoints(PlanePosition plane, CropBox region, double[] x, double[] y) {

	public int count() {
		return x.length;
	}
}
