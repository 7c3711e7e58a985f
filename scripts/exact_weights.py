"""Writes a lesson's hand-set weights as safetensors, F64, every value a multiple of 1/4 (exact in binary).

Shared by scripts/make_handcalc_weights.py and scripts/make_eigen_weights.py. Standard library only.
"""
import json
import os
import struct


def flat(v):
    return [x for row in v for x in row] if isinstance(v[0], list) else list(v)


def shape(v):
    return [len(v), len(v[0])] if isinstance(v[0], list) else [len(v)]


def write(lesson, tensors):
    """Writes examples/LESSON.safetensors from `tensors` (name → list or list of rows), recording the recipe."""
    header = {"__metadata__": {"format": "pt", "unroll.lesson": lesson,
                               "unroll.recipe": "scripts/make_%s_weights.py" % lesson}}
    data = b""
    for name in sorted(tensors):
        values = flat(tensors[name])
        assert all((x * 4).is_integer() for x in values), name
        start = len(data)
        data += struct.pack("<%dd" % len(values), *values)
        header[name] = {"dtype": "F64", "shape": shape(tensors[name]), "data_offsets": [start, len(data)]}
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * (-len(text) % 8)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", lesson + ".safetensors")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
