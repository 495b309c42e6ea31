package io.github.keypointj.engine;

/**
 * One convolution layer of a network as the engine runs it: what the numerical check
 * repeats, forward and backward, with the layer's own shapes.
 *
 * @param layer where the layer is, e.g. "NoseNet conv 3"
 * @param inChannels channels of the layer's input
 * @param height input height
 * @param width input width
 * @param filters output channels
 * @param kernel square kernel side
 * @param stride stride in both directions
 * @param padding zero padding on each side
 * @param needsInputGradient whether training computes the gradient of the layer's input (all layers
 *        but a network's first)
 */
public record ConvolutionShape(String layer, int inChannels, int height, int width, int filters, int kernel,
	int stride, int padding, boolean needsInputGradient)
{

	public int outHeight() {
		return (height + 2 * padding - kernel) / stride + 1;
	}

	public int outWidth() {
		return (width + 2 * padding - kernel) / stride + 1;
	}

	/** The same convolution whatever the layer is called: shapes that the check needs to run once. */
	public ConvolutionShape unnamed() {
		return new ConvolutionShape("", inChannels, height, width, filters, kernel, stride, padding, needsInputGradient);
	}

	/** oneDNN's notation (as ONEDNN_VERBOSE prints it), which names the shape in reports. */
	@Override
	public String toString() {
		return String.format("%s (ic%d oc%d ih%d iw%d k%d s%d p%d)", layer, inChannels, filters, height, width, kernel,
			stride, padding);
	}
}
