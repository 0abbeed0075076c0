#!/usr/bin/env python3
"""Checks modelc's fitted Tokenizer against Keras's on the bundled raw text (data/brown-text).

    bin/modelc train examples/brown_text_cnn.model --data data/brown-text --epochs 1
    KERAS_BACKEND=jax python3 tools/keras_parity/check_brown_text.py [out/brown_text_cnn/weights.text.json]

Fits Keras's legacy Tokenizer(num_words=10000) on the training passages in the order modelc's loader
reads them (classes alphabetical, files sorted, a file of each class in turn), compares its word_index,
word_counts and document_count with the ones modelc saved beside the weights, and writes Keras's
pad_sequences(maxlen=500) ids of the test passages to /tmp/keras_test_ids.npy for a comparison with
TextPipeline.Fitted.encode (examples/README.md says how it came out). With scikit-learn installed it
also checks brown_bow's CountVectorizer (out/brown_bow/weights.text.json) and writes its test counts to
/tmp/sk_test_counts.npy.
"""
import glob
import json
import os
import sys

import numpy as np
from keras.src.legacy.preprocessing.text import Tokenizer
from keras.src.utils import pad_sequences


def texts(split):
    classes = sorted(os.listdir(os.path.join("data/brown-text", split)))
    files = [sorted(glob.glob(os.path.join("data/brown-text", split, c, "*.txt"))) for c in classes]
    out = []
    for i in range(max(len(f) for f in files)):
        for f in files:
            if i < len(f):
                with open(f[i], encoding="utf-8") as fh:
                    out.append(fh.read())
    return out


def main():
    saved = sys.argv[1] if len(sys.argv) > 1 else "out/brown_text_cnn/weights.text.json"
    with open(saved, encoding="utf-8") as fh:
        ours = json.load(fh)["inputs"]["passage"]["tokenizer"]["config"]
    t = Tokenizer(num_words=10000)
    t.fit_on_texts(texts("train"))
    print("word_index equal:", json.loads(ours["word_index"]) == t.word_index, len(t.word_index), "words")
    print("word_counts equal:", json.loads(ours["word_counts"]) == dict(t.word_counts))
    print("document_count:", ours["document_count"], "vs", t.document_count)
    ids = pad_sequences(t.texts_to_sequences(texts("test")), maxlen=500)
    np.save("/tmp/keras_test_ids.npy", ids.astype(np.int32))
    print("wrote", ids.shape, "test ids to /tmp/keras_test_ids.npy")
    try:
        from sklearn.feature_extraction.text import CountVectorizer
    except ImportError:
        return
    bow = "out/brown_bow/weights.text.json"
    if os.path.exists(bow):
        with open(bow, encoding="utf-8") as fh:
            vocab = json.load(fh)["inputs"]["passage"]["count_vectorizer"]["vocabulary"]
        v = CountVectorizer(max_features=6000, min_df=5, max_df=0.7).fit(texts("train"))
        print("CountVectorizer vocabulary equal:", vocab == {k: int(x) for k, x in v.vocabulary_.items()}, len(vocab), "terms")
        np.save("/tmp/sk_test_counts.npy", v.transform(texts("test")).toarray().astype(np.float32))


if __name__ == "__main__":
    main()
