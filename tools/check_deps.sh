#!/usr/bin/env bash
# Enforces DESIGN.md's dependency direction: gateway -> translate -> {engine, protocols}, and
# that translate/ reaches the engine only through the store interface (engine/store.h).
# engine/ and protocols/ never include each other, nor translate/, gateway/, libuv or (engine) hiredis.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
fail=0
check() {  # check <dir> <regex> <reason>
  local hits
  hits=$(grep -rnE "$2" "$root/$1" --include='*.h' --include='*.cc' 2>/dev/null)
  if [[ -n $hits ]]; then
    echo "dependency violation in $1/ ($3):"
    echo "$hits"
    fail=1
  fi
}
check engine '#include\s*[<"](protocols|translate|gateway)/|#include\s*[<"](uv\.h|hiredis/|nats/|nats\.h)' \
  "engine depends on nothing but the standard library and xxHash"
check protocols '#include\s*[<"](engine|translate|gateway)/|#include\s*[<"](uv\.h|nats/|nats\.h)' \
  "protocols are wire codecs only"
check translate '#include\s*[<"]gateway/|#include\s*[<"](uv\.h|nats/|nats\.h)' \
  "translate never sees the event loop"
check translate '#include\s*[<"]engine/(engine|local_store)\.h|#include\s*[<"]engine/detail/' \
  "translate talks to the store interface (engine/store.h), never to a concrete engine"
if ((fail)); then exit 1; fi
echo "dependency direction ok"
