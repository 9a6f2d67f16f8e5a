#!/usr/bin/env bash
# Prints the path of the rotel-agent binary that `pip install rotel` put inside its package.
set -euo pipefail
if [ -n "${ROTEL_AGENT:-}" ]; then
  echo "$ROTEL_AGENT"
  exit 0
fi
path=$(python3 -c "import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), 'rotel-agent'))" 2>/dev/null) || {
  echo "error: rotel is not installed; run: pip install rotel" >&2
  exit 1
}
[ -x "$path" ] || { echo "error: $path is not executable" >&2; exit 1; }
echo "$path"
