#!/usr/bin/env python3
"""Writes Tests/Corpus/texts/: texts to train on (`unroll train --text`), most hostile in one way (docs/reliability.md)."""
import os
OUT = "Tests/Corpus/texts"  # run from the repository root
ok = ("It was the best of times, it was the worst of times, it was the age of wisdom, "
      "it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, "
      "it was the season of Light, it was the season of Darkness.\n")
c = {}
c["empty.txt"] = b""
c["one-character.txt"] = b"a"
c["short.txt"] = b"Shall I compare thee to a summer's day?\n"
c["one-symbol.txt"] = b"z" * 300
c["binary-png.bin"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
c["utf8-latin1-byte.txt"] = ok.encode() + "caf\xe9\n".encode("latin-1")
c["escape-sequence.txt"] = ok.encode() + b"clear \x1b[2J the screen\n"
c["osc-title.txt"] = b"\x1b]0;owned\x07" + ok.encode()
c["rtl-override.txt"] = ok.encode() + "abc \u202egnp.exe\n".encode()
c["zalgo.txt"] = ok.encode() + ("Z" + "\u0301" * 40 + "\n").encode()
c["bell.txt"] = ok.encode() + b"ding\x07\n"
# Found reading the refusals beside the FuzzText fuzzer: U+2028 was called a bidirectional control.
c["line-separator.txt"] = ok.encode() + "one\u2028two\n".encode()
# Accepted: 300 rare characters past the common ones; the rarest map to one unknown symbol.
c["many-symbols.txt"] = (ok * 3 + "".join(chr(0x4E00 + i) for i in range(300))).encode()
c["fine.txt"] = (ok * 3).encode()
os.makedirs(OUT, exist_ok=True)
for name, data in c.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
