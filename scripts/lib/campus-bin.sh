# campus_bin: prints the campus binary to run: $CAMPUS_BIN, else .build/debug/campus, else
# .build/release/campus; builds the debug one (swift build --product campus) if none exists.
# shellcheck shell=bash
campus_bin() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ -n "${CAMPUS_BIN:-}" ]; then
    [ -x "$CAMPUS_BIN" ] || { echo "CAMPUS_BIN=$CAMPUS_BIN is not an executable" >&2; return 1; }
    echo "$CAMPUS_BIN"; return 0
  fi
  for candidate in "$root/.build/debug/campus" "$root/.build/release/campus"; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  echo "No campus binary: building it (swift build --product campus)" >&2
  (cd "$root" && swift build --product campus >&2) || return 1
  echo "$root/.build/debug/campus"
}
