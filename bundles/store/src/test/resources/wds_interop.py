"""Interop checks between Synthloom's WebDataset shards and Python's own tools.

  python3 wds_interop.py read SHARD          print a JSON summary of a shard, read the way the
                                              webdataset library does (tarfile, keys split at the
                                              first dot of the file name), arrays via numpy.load
  python3 wds_interop.py write SHARD FORMAT  write a shard with Python's tarfile (FORMAT: pax or gnu)
  python3 wds_interop.py npy-read FILE       print dtype, shape and values of a .npy file
  python3 wds_interop.py npy-write DIR       write .npy files of several dtypes with numpy.save

Only the standard library and numpy are used (the webdataset package is not installable offline;
its reading rule is reproduced in group_by_keys below).
"""
import io
import json
import struct
import sys
import tarfile
import zlib

import numpy as np


def base_plus_ext(path):
    """webdataset's rule: the key is the path up to the first dot of the file name."""
    slash = path.rfind("/")
    dot = path.find(".", slash + 1)
    if dot <= slash + 1:
        return None, None
    return path[:dot], path[dot + 1:]


def group_by_keys(tar):
    current, sample = None, None
    for member in tar:
        if not member.isfile():
            continue
        key, ext = base_plus_ext(member.name)
        if key is None:
            continue
        if key != current:
            if sample is not None:
                yield current, sample
            current, sample = key, {}
        sample[ext.lower()] = tar.extractfile(member).read()
    if sample is not None:
        yield current, sample


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return [width, height]


def read(path):
    samples = []
    with tarfile.open(path) as tar:
        for key, members in group_by_keys(tar):
            entry = {"key": key, "members": sorted(members)}
            if "png" in members:
                entry["png_size"] = png_size(members["png"])
            if "txt" in members:
                entry["txt"] = members["txt"].decode("utf-8")
            if "json" in members:
                entry["json"] = json.loads(members["json"])
            for ext in ("npy", "emb.npy"):
                if ext in members:
                    array = np.load(io.BytesIO(members[ext]))
                    entry[ext] = {"dtype": str(array.dtype), "shape": list(array.shape), "values": array.flatten().tolist()}
            samples.append(entry)
    print(json.dumps(samples))


def tiny_png(width, height, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    tar.addfile(info, io.BytesIO(data))


def write(path, fmt):
    tar_format = tarfile.PAX_FORMAT if fmt == "pax" else tarfile.GNU_FORMAT
    with tarfile.open(path, "w", format=tar_format) as tar:
        for i in range(3):
            key = "sample%04d" % i
            add(tar, key + ".png", tiny_png(4 + i, 3, (200, 10 * i, 30)))
            add(tar, key + ".txt", ("a caption number %d \u00e9" % i).encode("utf-8"))
            add(tar, key + ".json", json.dumps({"caption": "ignored: txt wins", "label": "class%d" % i}).encode("utf-8"))
            buffer = io.BytesIO()
            np.save(buffer, np.arange(6, dtype=np.int64).reshape(2, 3) + i)
            add(tar, key + ".npy", buffer.getvalue())
        long_key = "a/very/long/directory/name/that/needs/an/extended/header/" + "x" * 80
        add(tar, long_key + ".png", tiny_png(2, 2, (0, 0, 255)))
        add(tar, long_key + ".txt", b"long name sample")


def npy_read(path):
    array = np.load(path)
    print(json.dumps({"dtype": str(array.dtype), "shape": list(array.shape), "values": array.flatten().tolist()}))


def npy_write(directory):
    arrays = {
        "int32": np.arange(12, dtype="<i4").reshape(3, 4) - 5,
        "int64": np.array([[2**40, -3]], dtype="<i8"),
        "bigendian": np.arange(5, dtype=">i4"),
        "uint8": np.array([0, 7, 255], dtype=np.uint8),
        "float16": np.array([0.5, -2.0, 1024.0], dtype=np.float16),
        "float32": np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3),
        "float64": np.array([np.pi], dtype=np.float64),
        "scalar": np.array(3.25, dtype=np.float32),
        "fortran": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
    }
    for name, array in arrays.items():
        np.save("%s/%s.npy" % (directory, name), array)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "read":
        read(sys.argv[2])
    elif command == "write":
        write(sys.argv[2], sys.argv[3])
    elif command == "npy-read":
        npy_read(sys.argv[2])
    elif command == "npy-write":
        npy_write(sys.argv[2])
    else:
        sys.exit("unknown command " + command)
