#!/usr/bin/env bash
# Print the prefilter's trigger literals, one a line: the `triggers` of every
# rules/*.toml, lowercased (the tool matches them ASCII-case-insensitively),
# without duplicates, sorted. corpus.sh prunes with this list and scan.sh hands
# it to rg, so both follow the rule catalogue as it changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

python3 - "$ROOT/rules" <<'PY'
import pathlib, sys
try:
    import tomllib
except ImportError:
    sys.exit("triggers.sh: needs Python 3.11+ (tomllib)")

files = sorted(pathlib.Path(sys.argv[1]).glob("*.toml"))
if not files:
    sys.exit(f"triggers.sh: no rule files in {sys.argv[1]}")
triggers = set()
for f in files:
    for t in tomllib.loads(f.read_text(encoding="utf-8")).get("triggers", []):
        if "\n" in t:
            sys.exit(f"triggers.sh: {f}: a trigger spans lines: {t!r}")
        triggers.add(t.lower())
for t in sorted(triggers):
    print(t)
PY
