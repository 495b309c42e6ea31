package io.github.keypointj.io;

import ij.process.ColorProcessor;
import io.github.keypointj.KeypointException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.decode.SliceHeaderReader;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.mp4.AvcCBox;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.SeekableDemuxerTrack;
import org.jcodec.common.io.BitReader;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.Transform;
import org.jcodec.scale.Yuv420jToRgb;
import org.jcodec.scale.Yuv420pToRgb;

/**
 * An H.264 movie in an MP4 or QuickTime file (how SLEAP's and most labs' videos are stored), its frames
 * decoded in pure Java (JCodec), by their number in display order as SLEAP and ffmpeg count them.
 * <p>
 * The decoder gives frames in the order they are stored, which B-frames make differ from the order they
 * are shown (stored I0 P3 B1 B2 is shown 0 1 2 3): each frame's display number is the rank of its
 * presentation time among all of the movie's. Frames asked for in increasing order are decoded in one
 * pass; a jump past a key frame, or back, starts again from the key frame before the one asked for.
 */
final class Mp4Movie implements AutoCloseable {

	private final Path file;
	private final FileChannelWrapper channel;
	private final FrameGrab grab;
	private final SeekableDemuxerTrack track;
	/** Per display number, the frame's number in storage order. */
	private final int[] storedAt;
	/** The storage numbers of the key frames, increasing. */
	private final int[] keyFrames;
	private final Transform toRgb;
	/** The storage number of the frame the decoder reads next. */
	private int next;

	private Mp4Movie(final Path file, final FileChannelWrapper channel, final FrameGrab grab, final int[] storedAt,
		final int[] keyFrames, final boolean fullRange)
	{
		this.file = file;
		this.channel = channel;
		this.grab = grab;
		this.track = (SeekableDemuxerTrack) grab.getVideoTrack();
		this.storedAt = storedAt;
		this.keyFrames = keyFrames;
		this.toRgb = fullRange ? new Yuv420jToRgb() : new Yuv420pToRgb();
	}

	/**
	 * Opens {@code file}, reading where each frame is (not decoding it).
	 *
	 * @throws KeypointException when it is not an MP4 or QuickTime file of an H.264 video, naming what it is
	 */
	static Mp4Movie open(final Path file) {
		FileChannelWrapper channel = null;
		try {
			channel = NIOUtils.readableChannel(file.toFile());
			final FrameGrab grab = FrameGrab.createFrameGrab(channel);
			final SeekableDemuxerTrack track = (SeekableDemuxerTrack) grab.getVideoTrack();
			final DemuxerTrackMeta meta = track.getMeta();
			if (meta.getCodec() != Codec.H264) throw notDecoded(file, "its video is " + meta.getCodec());
			final List<double[]> times = new ArrayList<>(); // presentation time, storage number
			final List<Integer> keys = new ArrayList<>();
			final ParameterSets parameters = new ParameterSets(meta.getCodecPrivate());
			track.gotoFrame(0);
			for (Packet packet = track.nextFrame(); packet != null; packet = track.nextFrame()) {
				if (packet.getFrameType() == Packet.FrameType.KEY) keys.add(times.size());
				if (parameters.predictsTemporally(packet.getData())) {
					throw notDecoded(file, "frame " + times.size() + " (in storage order) is a B-frame with temporal direct " +
						"prediction, which JCodec 0.2.5, KeypointJ's decoder, gets wrong (x264's --direct temporal or auto, " +
						"its slower presets)");
				}
				times.add(new double[] { packet.getPtsD(), times.size() });
			}
			if (times.isEmpty() || keys.isEmpty()) throw notDecoded(file, "it holds no frame to start decoding from");
			times.sort(Comparator.comparingDouble(time -> time[0]));
			final int[] storedAt = new int[times.size()];
			for (int shown = 0; shown < storedAt.length; shown++) storedAt[shown] = (int) times.get(shown)[1];
			final Mp4Movie movie = new Mp4Movie(file, channel, grab, storedAt, keys.stream().mapToInt(Integer::intValue)
				.toArray(), parameters.fullRange());
			movie.seek(0);
			channel = null; // the movie owns it now
			return movie;
		}
		catch (final IOException | JCodecException | RuntimeException e) {
			if (e instanceof KeypointException known) throw known;
			throw notDecoded(file, e.getMessage() == null ? e.toString() : e.getMessage());
		}
		finally {
			NIOUtils.closeQuietly(channel);
		}
	}

	private static KeypointException notDecoded(final Path file, final String why) {
		return new KeypointException(file.getFileName() + ": not a movie KeypointJ decodes (an H.264 video in an .mp4 " +
			"or .mov file): " + why + ". Convert it (ffmpeg -i in.mp4 -c:v libx264 -pix_fmt yuv420p out.mp4), or in " +
			"SLEAP export a labels package with the labelled frames embedded (File > Export Labels Package...)");
	}

	/** The stream's sequence and picture parameter sets, as the movie's header stores them. */
	private static final class ParameterSets {

		final Map<Integer, SeqParameterSet> sequences = new HashMap<>();
		final Map<Integer, PictureParameterSet> pictures = new HashMap<>();

		ParameterSets(final ByteBuffer codecPrivate) {
			if (codecPrivate == null) return;
			final AvcCBox avcC = H264Utils.createAvcCFromBytes(codecPrivate.duplicate());
			for (final ByteBuffer sps : avcC.getSpsList()) {
				final SeqParameterSet sequence = H264Utils.readSPS(sps.duplicate());
				sequences.put(sequence.seqParameterSetId, sequence);
			}
			for (final ByteBuffer pps : avcC.getPpsList()) {
				final ByteBuffer unescaped = pps.duplicate();
				H264Utils.unescapeNAL(unescaped);
				final PictureParameterSet picture = PictureParameterSet.read(unescaped);
				pictures.put(picture.picParameterSetId, picture);
			}
		}

		/** Whether the stream's Y, Cb, Cr use 0-255 (as from JPEG or a webcam's MJPEG) rather than video's 16-235. */
		boolean fullRange() {
			return sequences.values().stream().anyMatch(sequence -> sequence.vuiParams != null &&
				sequence.vuiParams.videoFullRangeFlag);
		}

		/** Whether a B-slice of the frame (Annex B NAL units) predicts its direct blocks temporally. */
		boolean predictsTemporally(final ByteBuffer frame) {
			final ByteBuffer units = frame.duplicate();
			for (ByteBuffer unit = H264Utils.nextNALUnit(units); unit != null; unit = H264Utils.nextNALUnit(units)) {
				final ByteBuffer bits = unit.duplicate();
				if (!bits.hasRemaining()) continue;
				final NALUnit header = NALUnit.read(bits);
				if (header.type != NALUnitType.NON_IDR_SLICE && header.type != NALUnitType.IDR_SLICE) continue;
				H264Utils.unescapeNAL(bits);
				final BitReader reader = BitReader.createBitReader(bits);
				final SliceHeader slice = SliceHeaderReader.readPart1(reader);
				if (slice.sliceType != SliceType.B) continue;
				final PictureParameterSet picture = pictures.get(slice.picParameterSetId);
				final SeqParameterSet sequence = picture == null ? null : sequences.get(picture.seqParameterSetId);
				if (sequence == null) continue; // parameter sets in the stream itself: not checked
				if (!SliceHeaderReader.readPart2(slice, header, sequence, picture, reader).directSpatialMvPredFlag) return true;
			}
			return false;
		}
	}

	int frameCount() {
		return storedAt.length;
	}

	/**
	 * Frame {@code shown} (0 is the first shown) as RGB.
	 *
	 * @throws KeypointException when the movie has no such frame or it cannot be decoded
	 */
	ColorProcessor frame(final long shown) {
		if (shown < 0 || shown >= storedAt.length) throw new KeypointException(file.getFileName() + ": frame " + shown +
			" is past its " + storedAt.length + " frames");
		final int stored = storedAt[(int) shown];
		try {
			if (stored < next || keyFrameBefore(stored) > next) seek(keyFrameBefore(stored));
			while (next < stored) decodeNext();
			return rgb(decodeNext());
		}
		catch (final IOException | RuntimeException e) {
			if (e instanceof KeypointException known) throw known;
			throw new KeypointException(file.getFileName() + ": frame " + shown + " could not be decoded (" + e + ")", e);
		}
	}

	/** The last key frame at or before storage number {@code stored}. */
	private int keyFrameBefore(final int stored) {
		int key = keyFrames[0];
		for (final int candidate : keyFrames) {
			if (candidate > stored) break;
			key = candidate;
		}
		return key;
	}

	private void seek(final int keyFrame) throws IOException {
		track.gotoFrame(keyFrame);
		next = keyFrame;
	}

	private Picture decodeNext() throws IOException {
		final Picture picture = grab.getNativeFrame();
		if (picture == null) throw new KeypointException(file.getFileName() + ": ends before frame " + next + " (in " +
			"storage order) of its " + storedAt.length);
		next++;
		return picture;
	}

	private ColorProcessor rgb(final Picture decoded) {
		if (decoded.getColor() != ColorSpace.YUV420 && decoded.getColor() != ColorSpace.YUV420J) {
			throw new KeypointException(file.getFileName() + ": its frames are " + decoded.getColor() + ", KeypointJ reads " +
				"4:2:0 video (ffmpeg's -pix_fmt yuv420p)");
		}
		final Picture picture = decoded.cropped();
		final Picture rgb = Picture.create(picture.getWidth(), picture.getHeight(), ColorSpace.RGB);
		toRgb.transform(picture, rgb);
		final byte[] interleaved = rgb.getPlaneData(0); // R, G, B per pixel, each less 128
		final int[] pixels = new int[picture.getWidth() * picture.getHeight()];
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (interleaved[3 * i] + 128) << 16 | (interleaved[3 * i + 1] + 128) << 8 | interleaved[3 * i + 2] + 128;
		}
		return new ColorProcessor(picture.getWidth(), picture.getHeight(), pixels);
	}

	@Override
	public void close() {
		NIOUtils.closeQuietly(channel);
	}
}
