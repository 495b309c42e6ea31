package io.github.keypointj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.github.keypointj.KeypointException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the heatmap networks' loss charges for a distance between an expected position and its target, in
 * heatmap cells ({@link HeatmapLoss}).
 */
public enum CoordinateLoss {

	/** The absolute distance: every cell of error costs the same. */
	L1("L1") {
		@Override
		NDArray of(final NDArray distance) {
			return distance;
		}
	},

	/**
	 * Wing loss (Feng et al., CVPR 2018): logarithmic below {@value #WING_WIDTH} cells, so that small and
	 * medium errors pull harder than under L1 (its slope is w / (epsilon + d): 5 at zero, 1 at w), and L1
	 * beyond, so that the few badly annotated points pull no harder than L1 lets them; w = 10 and epsilon = 2,
	 * the paper's values, in cells.
	 */
	WING("wing") {
		@Override
		NDArray of(final NDArray distance) {
			final NDArray near = distance.div(WING_CURVATURE).add(1).log().mul(WING_WIDTH);
			final NDArray far = distance.sub(WING_WIDTH - WING_WIDTH * Math.log(1 + WING_WIDTH / WING_CURVATURE));
			return NDArrays.where(distance.lt(WING_WIDTH), near, far);
		}
	};

	static final double WING_WIDTH = 10;
	static final double WING_CURVATURE = 2;

	private final String label;

	CoordinateLoss(final String label) {
		this.label = label;
	}

	/** The name of the {@code loss} key's value. */
	public String label() {
		return label;
	}

	/** The loss of each distance (cells, not negative), element by element. */
	abstract NDArray of(NDArray distance);

	/** The loss a {@code loss=} value names (case ignored), or an error listing the choices. */
	public static CoordinateLoss fromLabel(final String label) {
		return Arrays.stream(values()).filter(loss -> loss.label.equalsIgnoreCase(label.trim())).findFirst()
			.orElseThrow(() -> new KeypointException("loss=" + label + " is not a loss KeypointJ knows; give one of " +
				Arrays.stream(values()).map(CoordinateLoss::label).collect(Collectors.joining(", ")) + "."));
	}
}
