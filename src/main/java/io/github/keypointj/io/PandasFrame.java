package io.github.keypointj.io;

import io.github.keypointj.KeypointException;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.StringData;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pandas DataFrame as {@code DataFrame.to_hdf} stores it in its default "fixed" format (the one that
 * holds MultiIndex columns, so the one DeepLabCut's {@code CollectedData_<scorer>.h5} is in), read back
 * as the rows {@code DataFrame.to_csv} would write: a header row for each level of the columns (the level's
 * name, then the columns' values), then a row for each index entry (its parts, then its values; a NaN as
 * an empty cell). The layout, as pandas' {@code io/pytables.py} writes it, in a group: an index is either
 * one array ({@code axis1}, "regular") or, for a MultiIndex, the sorted values of each level
 * ({@code axis1_level0}, ...) with each entry's codes into them ({@code axis1_label0}, ...); axis0 holds
 * the columns, axis1 the rows; values come in blocks of one dtype ({@code block0_values}, rows by
 * columns) with their columns ({@code block0_items}). Read with jHDF: pure Java, no HDF5 natives.
 */
final class PandasFrame {

	/** How pandas writes an index level without a name. */
	private static final String NO_NAME = "N.";

	private PandasFrame() {}

	/** An index: its entries (one part per level) and its levels' names ({@code null}: none). */
	private record Index(List<List<String>> entries, List<String> names) {}

	/**
	 * @param key the frame's group, {@code to_hdf}'s {@code key} (DeepLabCut: "df_with_missing"); any when
	 *          the file holds one frame
	 */
	static List<List<String>> csvRows(final Path file, final String key) {
		final String name = file.getFileName().toString();
		try (HdfFile hdf = new HdfFile(file)) {
			final Group frame = frameGroup(hdf, key, name);
			final Index columns = index(frame, "axis0", name), rows = index(frame, "axis1", name);
			final String[][] cells = new String[rows.entries.size()][columns.entries.size()];
			final long blocks = number(frame, "nblocks", name);
			for (int block = 0; block < blocks; block++) {
				final List<List<String>> items = index(frame, "block" + block + "_items", name).entries;
				final Dataset values = dataset(frame, "block" + block + "_values", name);
				final Object flat = values.getDataFlat();
				if (!(flat instanceof double[] || flat instanceof float[] || flat instanceof long[] || flat instanceof int[])) {
					continue; // text columns: DeepLabCut has none, and they hold no coordinates
				}
				for (int item = 0; item < items.size(); item++) {
					final int column = columns.entries.indexOf(items.get(item));
					if (column < 0) throw new KeypointException(name + ": block " + block + " names a column the frame lacks.");
					for (int row = 0; row < cells.length; row++) {
						final double value = ((Number) Array.get(flat, row * items.size() + item)).doubleValue();
						cells[row][column] = Double.isNaN(value) ? "" : Double.toString(value);
					}
				}
			}
			final int indexColumns = rows.names.size();
			final List<List<String>> csv = new ArrayList<>();
			for (int level = 0; level < columns.names.size(); level++) {
				final List<String> header = new ArrayList<>();
				header.add(columns.names.get(level) == null ? "" : columns.names.get(level));
				for (int i = 1; i < indexColumns; i++) header.add("");
				for (final List<String> column : columns.entries) header.add(column.get(level));
				csv.add(header);
			}
			for (int row = 0; row < cells.length; row++) {
				final List<String> line = new ArrayList<>(rows.entries.get(row));
				for (final String cell : cells[row]) line.add(cell == null ? "" : cell);
				csv.add(line);
			}
			return csv;
		}
		catch (final HdfException e) {
			throw new KeypointException(name + " is not an HDF5 file jHDF can read: " + e.getMessage(), e);
		}
	}

	private static Group frameGroup(final HdfFile hdf, final String key, final String name) {
		final List<Group> frames = new ArrayList<>();
		for (final Node node : hdf.getChildren().values()) {
			if (node instanceof Group group && "frame".equals(text(group.getAttribute("pandas_type")))) frames.add(group);
		}
		for (final Group frame : frames) {
			if (frame.getName().equals(key)) return frame;
		}
		if (frames.size() == 1) return frames.get(0);
		throw new KeypointException(name + (frames.isEmpty()
			? " holds no pandas DataFrame (DataFrame.to_hdf's fixed format, as DeepLabCut writes it); export the " +
				"labels as CSV in DeepLabCut and import that"
			: " holds " + frames.size() + " pandas DataFrames and none is called '" + key + "'") + ".");
	}

	private static Index index(final Group frame, final String prefix, final String name) {
		final List<List<String>> entries = new ArrayList<>();
		final List<String> names = new ArrayList<>();
		if ("multi".equals(text(frame.getAttribute(prefix + "_variety")))) {
			final int levels = (int) number(frame, prefix + "_nlevels", name);
			final List<Object> levelValues = new ArrayList<>(), codes = new ArrayList<>();
			for (int level = 0; level < levels; level++) {
				final Dataset values = dataset(frame, prefix + "_level" + level, name);
				levelValues.add(flat(values));
				codes.add(dataset(frame, prefix + "_label" + level, name).getDataFlat());
				names.add(levelName(values));
			}
			final int size = Array.getLength(codes.get(0));
			for (int entry = 0; entry < size; entry++) {
				final List<String> parts = new ArrayList<>(levels);
				for (int level = 0; level < levels; level++) {
					final int code = ((Number) Array.get(codes.get(level), entry)).intValue();
					parts.add(code < 0 ? "" : String.valueOf(Array.get(levelValues.get(level), code))); // -1: NaN
				}
				entries.add(parts);
			}
		}
		else {
			final Dataset values = dataset(frame, prefix, name);
			final Object flat = flat(values);
			for (int entry = 0; entry < Array.getLength(flat); entry++) entries.add(List.of(String.valueOf(Array.get(flat, entry))));
			names.add(levelName(values));
		}
		return new Index(entries, names);
	}

	/**
	 * The dataset's values in one array; text as UTF-8, which pandas encodes it in (jHDF reads numpy's byte
	 * strings, PyTables marks them ASCII, as ASCII: "ö" would come out as two replacement characters).
	 */
	private static Object flat(final Dataset values) {
		if (!(values.getDataType() instanceof StringData text) || values.isVariableLength() ||
			!(values instanceof DatasetBase base))
		{
			return values.getDataFlat();
		}
		final ByteBuffer bytes = base.getDataBuffer();
		final byte[] element = new byte[text.getSize()];
		final String[] strings = new String[(int) values.getSize()];
		for (int i = 0; i < strings.length; i++) {
			bytes.get(element);
			int length = 0;
			while (length < element.length && element[length] != 0) length++; // numpy pads with NULs
			strings[i] = new String(element, 0, length, StandardCharsets.UTF_8);
		}
		return strings;
	}

	private static String levelName(final Dataset level) {
		final String levelName = text(level.getAttribute("name"));
		return levelName == null || levelName.equals(NO_NAME) ? null : levelName;
	}

	private static Dataset dataset(final Group frame, final String child, final String name) {
		if (frame.getChild(child) instanceof Dataset dataset) return dataset;
		throw new KeypointException(name + ": the DataFrame '" + frame.getName() + "' has no '" + child + "' (not " +
			"written by pandas' to_hdf?).");
	}

	private static long number(final Node node, final String attribute, final String name) {
		final Attribute value = node.getAttribute(attribute);
		if (value != null && value.getData() instanceof Number number) return number.longValue();
		throw new KeypointException(name + ": the DataFrame '" + node.getName() + "' has no attribute '" + attribute + "'.");
	}

	/** A text attribute (PyTables stores them as byte strings), else {@code null}. */
	private static String text(final Attribute attribute) {
		return attribute != null && attribute.getData() instanceof String value ? value : null;
	}
}
