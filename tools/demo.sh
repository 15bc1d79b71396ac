#!/bin/sh
# demo.sh IISLENS - `make demo`: the main job on the bundled sample.
set -u
bin=${1:-build/iislens}
cd "$(dirname "$0")/.." || exit 2
sample=data/sample/LogFiles
echo "== iislens report $sample"
IISLENS_NO_PROGRESS=1 "$bin" report "$sample"
IISLENS_NO_PROGRESS=1 "$bin" report --format html -o "$(dirname "$bin")/report.html" "$sample" && echo "(also written: $(dirname "$bin")/report.html)"
echo
echo "== iislens explain \"500 19 13\""
"$bin" explain "500 19 13"
true
