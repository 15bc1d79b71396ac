#!/bin/sh
# demo.sh IISLENS - `make demo`: the main job on the bundled sample.
set -u
bin=${1:-build/iislens}
cd "$(dirname "$0")/.." || exit 2
sample=data/sample/LogFiles
echo "== iislens explain --short - < $sample/W3SVC1/u_ex261124.log"
"$bin" explain --short - < "$sample/W3SVC1/u_ex261124.log"
echo
echo "== iislens explain --short - < $sample/HTTPERR/httperr1.log"
"$bin" explain --short - < "$sample/HTTPERR/httperr1.log"
echo
echo "== iislens explain \"500 19 13\""
"$bin" explain "500 19 13"
true
