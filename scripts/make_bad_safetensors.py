#!/usr/bin/env python3
"""Writes Tests/Corpus/safetensors/: small safetensors files, each broken in one way (and two good ones).

The model they are checked against (Tests/UnrollEngineTests/SafetensorsCorpusTests.swift) is an RNN
with input 2, hidden 2, output 2: weight_ih_l0 [2,2], weight_hh_l0 [2,2], bias_ih_l0 [2], bias_hh_l0 [2],
output.weight [2,2], output.bias [2]. Run from the repository root; needs only the standard library.
"""
import json, os, struct

OUT = "Tests/Corpus/safetensors"
MODEL = [("weight_ih_l0", [2, 2]), ("weight_hh_l0", [2, 2]), ("bias_ih_l0", [2]), ("bias_hh_l0", [2]),
         ("output.weight", [2, 2]), ("output.bias", [2])]


def raw(header_bytes, data=b"", length=None):
    n = len(header_bytes) if length is None else length
    return struct.pack("<Q", n) + header_bytes + data


def st(entries, data, metadata=None):
    """entries: list of (name, dtype, shape, begin, end); the header keeps their order."""
    parts = []
    if metadata is not None:
        parts.append('"__metadata__":' + json.dumps(metadata))
    for name, dtype, shape, begin, end in entries:
        parts.append(json.dumps(name) + ":" + json.dumps({"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}))
    return raw(("{" + ",".join(parts) + "}").encode(), data)


def model_file(tensors=MODEL, dtype="F32", cut=None, value=0.25):
    width = {"F32": 4, "F64": 8, "F16": 2}[dtype]
    fmt = {"F32": "<f", "F64": "<d", "F16": "<e"}[dtype]
    entries, data = [], b""
    for name, shape in tensors:
        count = 1
        for d in shape:
            count *= d
        begin = len(data)
        data += b"".join(struct.pack(fmt, value) for _ in range(count))
        entries.append((name, dtype, shape, begin, len(data)))
    out = st(entries, data, {"format": "pt"})
    return out if cut is None else out[:cut]


one = struct.pack("<f", 1.0)
cases = {
    "empty": b"",
    "four-bytes": b"\x10\x00\x00\x00",
    "header-length-zero": struct.pack("<Q", 0),
    "header-length-past-end": raw(b"{}", length=64),
    "header-length-huge": raw(b"{}", length=2**64 - 1),
    "header-length-over-limit": raw(b"{}", length=100_000_001),
    "header-not-json": raw(b"{this is not json}"),
    "header-a-list": raw(b"[1, 2]"),
    "header-cut-short": raw(b'{"a": {"dtype": "F32", "sha'),
    "header-not-utf8": raw(b'{"\xff\xfe": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', one),
    "header-a-string": raw(b'"weights"'),
    "header-trailing-garbage": raw(b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}} xyz', one),
    "dtype-i64": st([("a", "I64", [1], 0, 8)], b"\0" * 8),
    "dtype-bool": st([("a", "BOOL", [1], 0, 1)], b"\1"),
    "dtype-lowercase": st([("a", "f32", [1], 0, 4)], one),
    "dtype-number": raw(b'{"a": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}}', one),
    "dtype-missing": raw(b'{"a": {"shape": [1], "data_offsets": [0, 4]}}', one),
    "shape-not-list": raw(b'{"a": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}}', one),
    "shape-fraction": raw(b'{"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}', one),
    "shape-negative": st([("a", "F32", [-1], 0, 4)], one),
    "shape-overflow": st([("a", "F32", [2**62, 2**62], 0, 4)], one),
    "shape-huge-number": raw(b'{"a": {"dtype": "F32", "shape": [1e30], "data_offsets": [0, 4]}}', one),
    "offsets-missing": raw(b'{"a": {"dtype": "F32", "shape": [1]}}', one),
    "offsets-three": raw(b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}', one),
    "offsets-reversed": st([("a", "F32", [1], 4, 0)], one),
    "offsets-negative": st([("a", "F32", [1], -4, 0)], one),
    "offsets-past-end": st([("a", "F32", [2], 0, 8)], one),
    "offsets-huge": raw(b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 100000000000000000000]}}', one),
    "offsets-overlap": st([("a", "F32", [2], 0, 8), ("b", "F32", [2], 4, 12)], one * 3),
    "offsets-same-range": st([("a", "F32", [1], 0, 4), ("b", "F32", [1], 0, 4)], one),
    "offsets-hole": st([("a", "F32", [1], 0, 4), ("b", "F32", [1], 8, 12)], one * 3),
    "offsets-trailing-bytes": st([("a", "F32", [1], 0, 4)], one * 2),
    "offsets-wrong-size": st([("a", "F32", [2], 0, 4)], one),
    "names-duplicate": raw(b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, '
                           b'"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', one * 2),
    "metadata-not-strings": raw(b'{"__metadata__": {"format": 1}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', one),
    "metadata-a-list": raw(b'{"__metadata__": ["pt"], "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', one),
    "entry-not-object": raw(b'{"a": [0, 4]}', one),
    "entry-null": raw(b'{"a": null}', one),
    "deeply-nested-header": raw(b'{"a": ' + b'[' * 5000 + b']' * 5000 + b'}'),
    "model-truncated": model_file(cut=100),
    "model-data-cut": model_file()[:-3],
    "model-missing-tensor": model_file(MODEL[:-1]),
    "model-extra-tensor": model_file(MODEL + [("weight_hh_l1", [2, 2])]),
    "model-transposed": model_file([("weight_ih_l0", [2, 2]), ("weight_hh_l0", [2, 2]), ("bias_ih_l0", [2]), ("bias_hh_l0", [2]),
                                    ("output.weight", [2, 2]), ("output.bias", [1, 2])]),
    "model-lstm-weights": model_file([("weight_ih_l0", [8, 2]), ("weight_hh_l0", [8, 2]), ("bias_ih_l0", [8]), ("bias_hh_l0", [8]),
                                      ("output.weight", [2, 2]), ("output.bias", [2])]),
    "model-wrong-names": model_file([(n.replace("_l0", "_l1"), s) for n, s in MODEL]),
    "good-f32": model_file(),
    "good-f16": model_file(dtype="F16"),
}

os.makedirs(OUT, exist_ok=True)
for name, data in cases.items():
    with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
        f.write(data)
print(f"wrote {len(cases)} files to {OUT}")
