package io.github.keypointj.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.keypointj.engine.Convolutions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A network's whole inference pass as one TorchScript method, for the CPU: one native call instead of one
 * per layer, activations kept in oneDNN's blocked layout from the first convolution to the last, and every
 * convolution's weights reordered into that layout once instead of at every call. Layer by layer, PyTorch
 * 2.5.1's oneDNN reorders each input, output and weight at each call, and at batch 1 of the report's small
 * networks that costs more than the convolutions (docs/PERFORMANCE.md).
 * <p>
 * The script is written from the network's blocks ({@link #of}), so it is the very network that the
 * blocks define, with the weights they hold then: BatchNorm folded into the convolution before it
 * ({@link FoldedBatchNorm}), every convolution's filters padded with zero filters to whole blocks of
 * {@value Convolutions#CHANNEL_BLOCK} (and the next layer's weights with zero input channels), because
 * oneDNN computes partly filled blocks wrong on some CPUs (docs/ENGINE.md); the zeros add nothing to any output. It is
 * written as TorchScript's serialized form and loaded through DJL; DJL has no call of its own for oneDNN's
 * tensors.
 * <p>
 * Not every block has a script: {@link #of} returns null for a network with one it cannot write (the
 * heatmap networks' soft-argmax and resizing), which then runs layer by layer.
 */
public final class ScriptedNetwork implements AutoCloseable {

	private static final String CLASS_NAME = "KeypointNetwork";

	private final PtSymbolBlock module;
	private final IValue preparedWeights;
	private final String source;
	/** The network's last blocks, which run as blocks after the script: none, or one without a script. */
	private final List<Block> rest;

	private ScriptedNetwork(final PtSymbolBlock module, final IValue preparedWeights, final String source,
		final List<Block> rest)
	{
		this.module = module;
		this.preparedWeights = preparedWeights;
		this.source = source;
		this.rest = rest;
	}

	/**
	 * The script of {@code network}'s inference pass with its weights as they are now, or null when it has
	 * a block without a script. Where only a sequential network's last block has none (the heatmap networks'
	 * soft-argmax), the script runs the others and that block runs as a block. Later changes of the weights
	 * (a training step) are not seen: make a new one.
	 *
	 * @param manager where the network's weights live (a CPU manager of the PyTorch engine)
	 */
	public static ScriptedNetwork of(final Block network, final NDManager manager) {
		final List<Block> children = network instanceof ai.djl.nn.SequentialBlock sequence
			? sequence.getChildren().values() : List.of(network);
		for (int scripted = children.size(); scripted >= Math.max(1, children.size() - 1); scripted--) {
			final Writer writer = new Writer(manager);
			try {
				final Value output = writer.sequence(children.subList(0, scripted), writer.input());
				return load(writer, writer.source(output), children.subList(scripted, children.size()));
			}
			catch (final NoScript e) {
				writer.closeWeights();
			}
		}
		return null;
	}

	private static ScriptedNetwork load(final Writer writer, final String source, final List<Block> rest) {
		final PtSymbolBlock module;
		try {
			module = JniUtils.loadModule((PtNDManager) writer.manager, new ByteArrayInputStream(archive(source)), true, false);
		}
		catch (final IOException e) {
			writer.closeWeights();
			throw new UncheckedIOException(e);
		}
		JniUtils.enableInferenceMode(module);
		withoutGraphOptimizer();
		final IValue prepared;
		try (IValue weights = IValue.listFrom(writer.weights())) {
			prepared = IValueUtils.runMethod(module, "prepare", weights);
		}
		catch (final RuntimeException e) {
			module.close();
			throw e;
		}
		finally {
			// The prepared list holds its own references: reordered copies, or the same tensors.
			writer.closeWeights();
		}
		return new ScriptedNetwork(module, prepared, source, List.copyOf(rest));
	}

	/**
	 * The network's output for {@code input} (N, C, H, W), gradients off, attached to {@code input}'s
	 * manager. The input must be finite: oneDNN's ReLU and max-pooling drop a NaN that PyTorch's own
	 * kernels pass on ({@link NetworkForward} runs such a sample as zeros and makes its outputs NaN).
	 */
	public NDList forward(final NDArray input) {
		final PtNDManager manager = (PtNDManager) input.getManager();
		withoutGraphOptimizer();
		NDList output;
		try (IValue x = IValue.from((PtNDArray) input);
			IValue scripted = IValueUtils.runMethod(module, "forward", x, preparedWeights))
		{
			output = new NDList(scripted.toTensor(manager));
		}
		for (final Block block : rest) output = block.forward(new ParameterStore(manager, false), output, false);
		return output;
	}

	/**
	 * Switches TorchScript's graph optimizer off for this thread (PyTorch keeps the switch per thread). It
	 * profiles a method's first calls for every new input shape and then rewrites its graph, which for a
	 * straight line of oneDNN operations gains nothing measurable and cost the main job's first photo about
	 * two seconds.
	 */
	private static void withoutGraphOptimizer() {
		JniUtils.setGraphExecutorOptimize(false);
	}

	/** The TorchScript source of the pass, for messages and tests. */
	public String source() {
		return source;
	}

	@Override
	public void close() {
		preparedWeights.close();
		module.close();
	}

	/** A block the script cannot express. */
	private static final class NoScript extends Exception {

		private static final long serialVersionUID = 1L;

		NoScript(final Block block) {
			super(block.getClass().getSimpleName(), null, false, false);
		}
	}

	/**
	 * An activation in the script: its variable, whether it is in oneDNN's blocked layout (else a plain
	 * tensor), its channels and how many of them the layout holds (whole blocks).
	 */
	private record Value(String name, boolean blocked, long channels, long heldChannels) {}

	/** Writes the forward method line by line and gathers the weights that {@code prepare} turns into its list. */
	private static final class Writer {

		final NDManager manager;
		private final ParameterStore parameters;
		private final StringBuilder forward = new StringBuilder();
		private final List<String> prepared = new ArrayList<>();
		private final List<PtNDArray> weights = new ArrayList<>();
		private int variables;

		Writer(final NDManager manager) {
			this.manager = manager;
			this.parameters = new ParameterStore(manager, false);
		}

		Value input() {
			return new Value("x", false, -1, -1);
		}

		Value block(final Block block, final Value in) throws NoScript {
			if (block instanceof ai.djl.nn.SequentialBlock sequence) return sequence(sequence.getChildren().values(), in);
			if (block instanceof Networks.Conv2d convolution) return convolution(convolution, null, in);
			if (block instanceof Networks.ParallelBlock parallel) return parallel(parallel, in);
			if (block instanceof Linear linear) return linear(linear, in);
			if (block instanceof MaxPool2d pool) {
				return assign(in, String.format(Locale.ROOT, "torch.max_pool2d(%s, %s, %s, %s, [1, 1], False)", in.name(),
					pair(pool.kernel()), pair(pool.stride()), pair(pool.padding())));
			}
			if (block instanceof LambdaBlock lambda) {
				switch (lambda.getName()) {
					case "ReLU": return assign(in, "torch.relu(" + in.name() + ")");
					case "identity": return in;
					case "batchFlatten": return plain(dense(in), "torch.flatten(%s, 1)", -1);
					case "globalAvgPool2d": return plain(dense(in), "torch.mean(%s, [2, 3])", in.channels());
					default: throw new NoScript(block);
				}
			}
			throw new NoScript(block);
		}

		Value sequence(final List<Block> children, final Value in) throws NoScript {
			Value current = in;
			for (int i = 0; i < children.size(); i++) {
				final Block child = children.get(i);
				if (child instanceof Networks.Conv2d convolution && i + 1 < children.size() &&
					children.get(i + 1) instanceof BatchNorm batchNorm)
				{
					current = convolution(convolution, batchNorm, current);
					i++;
				}
				else current = block(child, current);
			}
			return current;
		}

		private Value convolution(final Networks.Conv2d convolution, final BatchNorm batchNorm, final Value in) {
			final Value input = blocked(in);
			NDArray weight = parameter(convolution, "weight");
			final Parameter biasParameter = convolution.getParameters().get("bias");
			NDArray bias = biasParameter == null ? null : parameters.getValue(biasParameter, manager.getDevice(), false);
			final long filters = weight.getShape().get(0);
			final long channels = weight.getShape().get(1);
			if (batchNorm != null) {
				final FoldedBatchNorm folded = FoldedBatchNorm.of(weight, bias,
					FoldedBatchNorm.statistics(batchNorm, parameters, manager.getDevice()));
				weight = folded.weights();
				bias = folded.biases();
			}
			else {
				weight = weight.duplicate();
				bias = bias == null ? manager.zeros(new Shape(filters)) : bias.duplicate();
			}
			final long heldFilters = Convolutions.wholeBlocks(filters);
			weight = padded(padded(weight, 1, input.heldChannels() < 0 ? channels : input.heldChannels()), 0, heldFilters);
			bias = padded(bias, 0, heldFilters);
			final int w = addWeight(weight);
			final int b = addWeight(bias);
			final Shape stride = convolution.getStride();
			final Shape padding = convolution.getPadding();
			prepared.set(w, String.format(Locale.ROOT, "torch.mkldnn_reorder_conv2d_weight(torch.to_mkldnn(ws[%d]), %s, %s, [1, 1], 1)",
				w, pair(padding), pair(stride)));
			prepared.set(b, "torch.to_mkldnn(ws[" + b + "])");
			final String name = variable();
			line(String.format(Locale.ROOT, "%s = torch.mkldnn_convolution(%s, ws[%d], ws[%d], %s, %s, [1, 1], 1)", name,
				input.name(), w, b, pair(padding), pair(stride)));
			return new Value(name, true, filters, heldFilters);
		}

		private Value parallel(final Networks.ParallelBlock parallel, final Value in) throws NoScript {
			final List<Block> branches = parallel.getChildren().values();
			// Plain tensors with their zero channels: the sum of two blocked tensors crashes PyTorch 2.5.1's
			// oneDNN (SIGFPE in its setup), and resizing has no blocked kernel.
			final Value first = held(block(branches.get(0), in));
			final Value second = held(block(branches.get(1), in));
			final String added = switch (parallel.merge()) {
				case SUM -> first.name();
				case RESIZED_SUM -> "torch.upsample_bilinear2d(" + first.name() + ", [torch.size(" + second.name() + ", 2), " +
					"torch.size(" + second.name() + ", 3)], False, None)";
			};
			final String name = variable();
			line(name + " = torch.to_mkldnn(torch.add(" + added + ", " + second.name() + "))");
			return new Value(name, true, second.channels(), second.heldChannels());
		}

		private Value linear(final Linear linear, final Value in) throws NoScript {
			if (linear.getParameters().get("bias") == null) throw new NoScript(linear);
			final Value input = dense(in);
			final int w = addWeight(parameter(linear, "weight").duplicate());
			final int b = addWeight(parameter(linear, "bias").duplicate());
			return plain(input, "torch.linear(%s, ws[" + w + "], ws[" + b + "])", weights.get(w).getShape().get(0));
		}

		/** {@code in} in oneDNN's blocked layout. */
		private Value blocked(final Value in) {
			if (in.blocked()) return in;
			final String name = variable();
			line(name + " = torch.to_mkldnn(" + in.name() + ")");
			return new Value(name, true, in.channels(), in.heldChannels());
		}

		/** {@code in} as a plain tensor with the zero channels of its last block. */
		private Value held(final Value in) {
			if (!in.blocked()) return in;
			final String name = variable();
			line(name + " = torch.to_dense(" + in.name() + ")");
			return new Value(name, false, in.channels(), in.heldChannels());
		}

		/** {@code in} as a plain tensor, without the zero channels of the last block. */
		private Value dense(final Value in) {
			if (!in.blocked()) return in;
			final String name = variable();
			final String plain = "torch.to_dense(" + in.name() + ")";
			line(name + " = " + (in.heldChannels() > in.channels()
				? "torch.slice(" + plain + ", 1, 0, " + in.channels() + ", 1)" : plain));
			return new Value(name, false, in.channels(), in.channels());
		}

		private Value plain(final Value in, final String expression, final long channels) {
			final String name = variable();
			line(name + " = " + String.format(Locale.ROOT, expression, in.name()));
			return new Value(name, false, channels, channels);
		}

		private Value assign(final Value in, final String expression) {
			final String name = variable();
			line(name + " = " + expression);
			return new Value(name, in.blocked(), in.channels(), in.heldChannels());
		}

		private NDArray parameter(final Block block, final String name) {
			return parameters.getValue(block.getParameters().get(name), manager.getDevice(), false);
		}

		/** {@code array} with zeros appended along {@code axis} up to {@code size}; closes {@code array} if it pads. */
		private NDArray padded(final NDArray array, final int axis, final long size) {
			final long missing = size - array.getShape().get(axis);
			if (missing <= 0) return array;
			final long[] dimensions = array.getShape().getShape().clone();
			dimensions[axis] = missing;
			try (NDArray zeros = manager.zeros(new Shape(dimensions), array.getDataType())) {
				final NDArray result = array.concat(zeros, axis);
				array.close();
				return result;
			}
		}

		private int addWeight(final NDArray weight) {
			weights.add((PtNDArray) weight);
			prepared.add("ws[" + (weights.size() - 1) + "]");
			return weights.size() - 1;
		}

		PtNDArray[] weights() {
			return weights.toArray(new PtNDArray[0]);
		}

		void closeWeights() {
			for (final NDArray weight : weights) weight.close();
			weights.clear();
		}

		private String variable() {
			return "v" + variables++;
		}

		private void line(final String text) {
			forward.append("    ").append(text).append('\n');
		}

		String source(final Value output) {
			final Value result = dense(output);
			return "class " + CLASS_NAME + "(Module):\n" +
				"  __parameters__ = []\n" +
				"  __buffers__ = []\n" +
				"  training : bool\n" +
				"  def forward(self: __torch__." + CLASS_NAME + ",\n" +
				"    x: Tensor,\n" +
				"    ws: List[Tensor]) -> Tensor:\n" +
				forward +
				"    return " + result.name() + "\n" +
				"  def prepare(self: __torch__." + CLASS_NAME + ",\n" +
				"    ws: List[Tensor]) -> List[Tensor]:\n" +
				"    return [" + String.join(", ", prepared) + "]\n";
		}
	}

	private static String pair(final Shape shape) {
		return "[" + shape.get(0) + ", " + shape.get(1) + "]";
	}


	/**
	 * TorchScript's serialized module: the class's code, and a pickle of one instance of it (protocol 2)
	 * whose only attribute is {@code training = False}; no parameters (the weights are arguments).
	 */
	static byte[] archive(final String source) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			stored(zip, "archive/data.pkl", instancePickle());
			stored(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
			stored(zip, "archive/constants.pkl", new byte[] { (byte) 0x80, 2, ')', '.' }); // an empty tuple
			stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
		}
		return bytes.toByteArray();
	}

	private static byte[] instancePickle() {
		final ByteArrayOutputStream pickle = new ByteArrayOutputStream();
		pickle.write(0x80);
		pickle.write(2); // PROTO 2
		final byte[] global = ("c__torch__\n" + CLASS_NAME + "\n").getBytes(StandardCharsets.US_ASCII);
		pickle.write(global, 0, global.length); // GLOBAL module, name
		pickle.write(')'); // EMPTY_TUPLE
		pickle.write(0x81); // NEWOBJ
		pickle.write('}'); // EMPTY_DICT
		final byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
		pickle.write('X'); // BINUNICODE, 4-byte little-endian length
		pickle.write(key.length);
		pickle.write(0);
		pickle.write(0);
		pickle.write(0);
		pickle.write(key, 0, key.length);
		pickle.write(0x89); // NEWFALSE
		pickle.write('s'); // SETITEM
		pickle.write('b'); // BUILD
		pickle.write('.'); // STOP
		return pickle.toByteArray();
	}

	private static void stored(final ZipOutputStream zip, final String name, final byte[] content) throws IOException {
		final ZipEntry entry = new ZipEntry(name);
		entry.setMethod(ZipEntry.STORED);
		entry.setSize(content.length);
		final CRC32 crc = new CRC32();
		crc.update(content);
		entry.setCrc(crc.getValue());
		zip.putNextEntry(entry);
		zip.write(content);
		zip.closeEntry();
	}
}
