#!/usr/bin/env bash
# Runs every libFuzzer target in <build dir>/tests/fuzz for <seconds> each, on a copy of its seed
# corpus (tests/fuzz/corpus/<target>). Fails on the first crash, leak, timeout or sanitizer
# report, and then prints the fuzzer's report and the reproducer (hex) so a CI log is enough to
# replay it: save the hex with `xxd -r -p` (or any hex decoder) and run `<target> <file>`.
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
  mkdir "$work/corpus" "$work/artifacts"
  if [[ -d tests/fuzz/corpus/$name ]]; then cp -r tests/fuzz/corpus/"$name"/. "$work/corpus"/; fi
  dict=()
  if [[ -f tests/fuzz/dict/$name.dict ]]; then dict=(-dict=tests/fuzz/dict/"$name".dict); fi
  echo "fuzz.sh: $name for ${seconds}s"
  rc=0
  "$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 || rc=$?
  if ((rc != 0)); then
    echo "fuzz.sh: $name failed (exit $rc); its report:" >&2
    grep -v '^#[0-9]' "$work/log" | tail -n 120 >&2
    for a in "$work"/artifacts/*; do
      echo "fuzz.sh: reproducer $(basename "$a") ($(stat -c %s "$a") bytes), hex:" >&2
      head -c 65536 "$a" | od -An -v -tx1 | tr -d " \n" | fold -w 120 >&2; echo >&2
    done
    rm -rf "$work"
    exit "$rc"
  fi
  grep '^stat::' "$work/log" | grep -E 'new_units_added|peak_rss_mb' || true
  rm -rf "$work"
done
