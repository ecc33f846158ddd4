#!/usr/bin/env bash
# Runs every libFuzzer target in <build dir>/tests/fuzz for <seconds> each, on a copy of its seed
# corpus (tests/fuzz/corpus/<target>). Fails on the first crash, leak or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/fuzz}
seconds=${2:-20}
shopt -s nullglob
targets=("$build"/tests/fuzz/*_fuzz)
if ((${#targets[@]} == 0)); then
  echo "fuzz.sh: no fuzz targets built in $build/tests/fuzz" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=$(basename "$t")
  work=$(mktemp -d)
  if [[ -d tests/fuzz/corpus/$name ]]; then cp -r tests/fuzz/corpus/"$name"/. "$work"/; fi
  dict=()
  if [[ -f tests/fuzz/dict/$name.dict ]]; then dict=(-dict=tests/fuzz/dict/"$name".dict); fi
  echo "fuzz.sh: $name for ${seconds}s"
  "$t" "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/" "$work" 2>&1 | tail -n 3
  rm -rf "$work"
done
