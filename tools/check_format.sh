#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format (the repo's .clang-format) makes
# of it. Fix with: git ls-files '*.cc' '*.h' | xargs clang-format -i
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z $fmt ]]; then
  echo "check_format.sh: clang-format not installed (tools/setup.sh installs it)" >&2
  exit 1
fi
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "check_format.sh: not a git checkout; nothing to check"
  exit 0
fi
git ls-files -z '*.cc' '*.h' | xargs -0 "$fmt" --dry-run --Werror
echo "check_format.sh: every C++ file is formatted"
