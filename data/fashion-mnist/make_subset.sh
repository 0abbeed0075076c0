#!/usr/bin/env bash
# Regenerates this directory's Fashion-MNIST subset from the Debian package dataset-fashion-mnist:
# the first 10000 training and the first 2000 test images and labels, in the original IDX format, gzipped.
#   apt-get install dataset-fashion-mnist && bash data/fashion-mnist/make_subset.sh
set -euo pipefail
src=${1:-/usr/share/datasets/fashion-mnist}
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# subset NAME COUNT HEADER_BYTES ITEM_BYTES: keep the first COUNT items of NAME.gz, rewriting the count in the header
subset() {
    local name=$1 count=$2 header=$3 item=$4
    zcat "$src/$name.gz" > "$tmp/full"
    {
        head -c 4 "$tmp/full"                                  # magic: 0 0 type rank
        printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' \
            $((count >> 24 & 255)) $((count >> 16 & 255)) $((count >> 8 & 255)) $((count & 255)))"
        head -c $((header + count * item)) "$tmp/full" | tail -c +9   # other dimensions, then the data
    } > "$tmp/subset"
    gzip -9 -n < "$tmp/subset" > "$out/$name.gz"
}

subset train-images-idx3-ubyte 10000 16 784
subset train-labels-idx1-ubyte 10000 8 1
subset t10k-images-idx3-ubyte 2000 16 784
subset t10k-labels-idx1-ubyte 2000 8 1
