"""Writes the SLEAP labels fixtures of SleapLabelsTest (.slp: HDF5) as SLEAP 1.2-1.4 and sleap-io write them, with
h5py only (Debian: python3-h5py), following sleap-io's sleap_io/io/slp.py and SLEAP's sleap/io/format/hdf5.py:

  mouse.pkg.slp        SLEAP 1.x (format 1.2): two RGB frames embedded as PNG (video0/video, source frames 3 and 7),
                       encoded with red and blue swapped, as SLEAP's cv2.imencode of RGB arrays did before format 1.4
  mouse_sio.pkg.slp    sleap-io (format 1.4): the same frames in gray, channel_order "RGB", one link per symmetry
  mouse_images.slp     SLEAP 1.x: an image sequence (frame0.png, frame1.png) named by Windows paths of the
                       labeller's machine, so that a reader must find them beside the .slp
  mouse_v10.slp        the same as format 1.0, whose coordinates put (0,0) at the top-left pixel's corner
  mouse_damaged.slp    the same, its second frame naming instances the file does not have
  mouse_tif.slp        a movie: a TIFF stack (mouse.tif, written by the test), named by a Windows path
  mouse_mp4.slp        a movie as most are: an .mp4 (mouse.mp4, beside it)
  mouse.mp4            H.264 (ffmpeg's libx264, Debian: ffmpeg): 8 gray frames, the ramp and the noise first, then flat
                       grays; two B-frames between P-frames, so that frame 1 is stored third (I0 P3 B1 B2 ...)
  temporal.mp4         the same with x264's --direct temporal, which JCodec 0.2.5 decodes wrongly

Each holds a skeleton of snout, leftear, rightear, tailbase (global node order scrambled, as SLEAP's set makes it),
edges from the snout, leftear/rightear a symmetry; on the first frame two user instances (the second's tailbase
toggled not visible) and a predicted one; on the second one user instance whose rightear was never placed.

    /usr/bin/python3 make_fixtures.py   # in this folder
"""
import json
import struct
import subprocess
import zlib

import h5py
import numpy as np

W, H = 64, 48
NAN = float("nan")
NODES = ["snout", "leftear", "rightear", "tailbase"]


def png(pixels):
    """A PNG of an (H, W) gray or (H, W, 3) RGB uint8 array, written by hand (no PIL)."""
    colour = 2 if pixels.ndim == 3 else 0
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def frames():
    """Two gray frames: a ramp (pixel (x, y) is 4x mod 256) and noise with a white 8x8 corner."""
    ramp = np.tile((np.arange(W) * 4 % 256).astype(np.uint8), (H, 1))
    noise = np.random.RandomState(0).randint(0, 256, (H, W)).astype(np.uint8)
    noise[:8, :8] = 255
    return [ramp, noise]


def metadata(sleap_io):
    names = NODES if sleap_io else ["leftear", "tailbase", "snout", "rightear"]
    index = {name: i for i, name in enumerate(names)}

    def edge_type(value, first):  # jsonpickle: the first EdgeType of each kind in full, then by py/id
        return {"py/reduce": [{"py/type": "sleap.skeleton.EdgeType"}, {"py/tuple": [value]}]} if first \
            else {"py/id": value}

    links = [{"edge_insert_idx": i, "key": 0, "source": index["snout"], "target": index[target],
              "type": edge_type(1, i == 0)} for i, target in enumerate(["leftear", "rightear", "tailbase"])]
    links.append({"key": 0, "source": index["leftear"], "target": index["rightear"], "type": edge_type(2, True)})
    if not sleap_io:  # SLEAP stores a symmetry both ways
        links.append({"key": 0, "source": index["rightear"], "target": index["leftear"], "type": edge_type(2, False)})
    skeleton = {"directed": True, "graph": {"name": "mouse", "num_edges_inserted": 3}, "links": links,
                "multigraph": True, "nodes": [{"id": index[name]} for name in NODES]}
    return {"version": "2.0.0", "skeletons": [skeleton], "nodes": [{"name": n, "weight": 1.0} for n in names],
            "videos": [], "tracks": [], "suggestions": [], "negative_anchors": {}, "provenance": {}}


POINT = np.dtype([("x", "f8"), ("y", "f8"), ("visible", "?"), ("complete", "?")])
PRED_POINT = np.dtype([("x", "f8"), ("y", "f8"), ("visible", "?"), ("complete", "?"), ("score", "f8")])
INSTANCE = np.dtype([("instance_id", "i8"), ("instance_type", "u1"), ("frame_id", "u8"), ("skeleton", "u4"),
                     ("track", "i4"), ("from_predicted", "i8"), ("score", "f4"), ("point_id_start", "u8"),
                     ("point_id_end", "u8"), ("tracking_score", "f4")])
FRAME = np.dtype([("frame_id", "u8"), ("video", "u4"), ("frame_idx", "u8"), ("instance_id_start", "u8"),
                  ("instance_id_end", "u8")])


def tables(frame_indices, sleap_io):
    first, second = frame_indices
    labelled = [
        (first, [("user", 0, [(10.5, 20.25, 1, 1), (8, 14, 1, 1), (13, 14, 1, 1), (10.5, 40, 1, 1)]),
                 ("user", -1, [(40, 10, 1, 1), (36.5, 5.5, 1, 1), (43.5, 5.5, 1, 1), (41, 30, 0, 1)]),
                 ("predicted", -1, [(40.5, 10.5, 1, 0, .9), (36, 6, 1, 0, .8), (44, 6, 1, 0, .7),
                                    (NAN, NAN, 0, 0, NAN)])]),
        (second, [("user", 0, [(20, 24, 1, 1), (17, 18, 1, 1), (NAN, NAN, 1, 0), (20, 44, 1, 1)])]),
    ]
    points, predicted, instances, rows = [], [], [], []
    user_score = 0.0 if sleap_io else NAN
    for frame_id, (frame_index, animals) in enumerate(labelled):
        start = len(instances)
        for kind, track, xy in animals:
            target = points if kind == "user" else predicted
            begin = len(target)
            target.extend(xy)
            instances.append((len(instances), kind != "user", frame_id, 0, track, -1,
                              user_score if kind == "user" else .875, begin, len(target), user_score))
        rows.append((frame_id, 0, frame_index, start, len(instances)))
    return [np.array(points, POINT), np.array(predicted, PRED_POINT), np.array(instances, INSTANCE),
            np.array(rows, FRAME)]


def write(path, video, frame_indices, format_id, sleap_io=False, embedded=None, channel_order=None, damaged=False):
    points, predicted, instances, rows = tables(frame_indices, sleap_io)
    if damaged:
        rows[-1]["instance_id_end"] = 99
    with h5py.File(path, "w") as f:
        if embedded is not None:
            width = max(len(b) for b in embedded)
            images = f.create_dataset("video0/video", shape=(len(embedded), width), dtype="int8", compression="gzip")
            for i, encoded in enumerate(embedded):
                images[i, :len(encoded)] = np.frombuffer(encoded, dtype=np.int8)
            images.attrs["format"] = "png"
            if channel_order:
                images.attrs["channel_order"] = channel_order
            f.create_dataset("video0/frame_numbers", data=np.array(sorted(frame_indices), dtype=np.int64))
            f.require_group("video0/source_video").attrs["json"] = json.dumps(
                {"backend": {"filename": "/home/lab/videos/mouse.mp4", "grayscale": False, "bgr": True,
                             "dataset": "", "input_format": ""}}, separators=(",", ":"))
        extendable = {} if sleap_io else {"maxshape": (None,)}
        f.create_dataset("videos_json", data=[np.bytes_(json.dumps(video, separators=(",", ":")))], maxshape=(None,))
        f.create_dataset("tracks_json", data=[np.bytes_('[0,"track_0"]')], maxshape=(None,))
        f.create_dataset("suggestions_json", data=[], maxshape=(None,))  # empty: a float64 dataset, as h5py makes it
        meta = f.require_group("metadata")
        meta.attrs["format_id"] = format_id
        meta.attrs["json"] = np.bytes_(json.dumps(metadata(sleap_io), separators=(",", ":")))
        for name, table in [("points", points), ("pred_points", predicted), ("instances", instances),
                            ("frames", rows)]:
            f.create_dataset(name, data=table, **extendable)


ramp, noise = frames()
# SLEAP before format 1.4 encoded RGB arrays as if BGR: the file's first channel holds blue.
rgb = [np.stack([ramp, noise, 255 - ramp], axis=2), np.stack([noise, ramp, noise // 2], axis=2)]
write("mouse.pkg.slp", {"backend": {"filename": ".", "dataset": "video0/video", "input_format": "channels_last",
                                    "convert_range": False}},
      (3, 7), 1.2, embedded=[png(image[:, :, ::-1].copy()) for image in rgb])
write("mouse_sio.pkg.slp", {"filename": "/home/lab/project/mouse_sio.pkg.slp",
                            "backend": {"type": "HDF5Video", "shape": [2, H, W, 1], "filename": ".",
                                        "dataset": "video0/video", "input_format": "channels_last",
                                        "convert_range": False, "has_embedded_images": True, "grayscale": True}},
      (3, 7), 1.4, sleap_io=True, embedded=[png(ramp), png(noise)], channel_order="RGB")
for name, image in [("frame0.png", ramp), ("frame1.png", noise)]:
    with open(name, "wb") as out:
        out.write(png(image))
windows = ["C:\\Users\\lab\\mouse\\frame0.png", "C:\\Users\\lab\\mouse\\frame1.png"]
sequence = {"backend": {"filename": windows[0], "filenames": windows, "height_": H, "width_": W, "channels_": 1,
                        "grayscale": True}}
write("mouse_images.slp", sequence, (0, 1), 1.2)
write("mouse_v10.slp", sequence, (0, 1), 1.0)
write("mouse_damaged.slp", sequence, (0, 1), 1.2, damaged=True)
for name, movie in [("mouse_tif.slp", "D:\\videos\\mouse.tif"), ("mouse_mp4.slp", "/home/lab/videos/mouse.mp4")]:
    write(name, {"backend": {"filename": movie, "grayscale": True, "bgr": True, "dataset": "", "input_format": ""}},
          (0, 1), 1.2)


def mp4(path, images, direct):
    """H.264 of gray frames, near-lossless (crf 1); fixed B-frames (no adaptive choice) so frame 1 is a B-frame."""
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{W}x{H}",
                    "-r", "10", "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "1",
                    "-x264-params", f"bframes=2:b-adapt=0:b-pyramid=none:direct={direct}:keyint=8", "-an", path],
                   input=b"".join(image.tobytes() for image in images), check=True)


movie = [ramp, noise] + [np.full((H, W), 30 * k, np.uint8) for k in range(2, 8)]
mp4("mouse.mp4", movie, "spatial")
mp4("temporal.mp4", movie, "temporal")
