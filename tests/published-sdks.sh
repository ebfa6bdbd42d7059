#!/usr/bin/env bash
# Checks auth0-migrate on published npm packages nobody here wrote:
#  - auth0-js 7.6.1 and node-auth0 2.44.1 have their /oauth/ro and /delegation call
#    sites found, and node-auth0's deprecation-warning message is not one of them;
#  - express and lodash give no finding;
#  - `fix --unsafe-fixes` on a copy leaves every .js file passing `node --check` and
#    actually changes auth0-js.
# Needs npm (the registry) and node. Usage: bash tests/published-sdks.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${CARGO_TARGET_DIR:-target}/release/auth0-migrate}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # name@version -> directory with the package's files
  local dir="$work/${1//[@\/]/_}"
  mkdir -p "$dir"
  (cd "$work" && npm pack "$1" --silent >/dev/null && tar xzf "$(ls -t ./*.tgz | head -1)" -C "$dir" && rm -f ./*.tgz)
  echo "$dir/package"
}

fail() { echo "FAIL: $*" >&2; exit 1; }
json() { "$bin" check --no-ignore --exit-zero --quiet --output-format json "$1"; }
has() { # json file, code, path suffix, line
  python3 - "$@" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
code, suffix, line = sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.exit(0 if any(f["code"] == code and f["path"].endswith(suffix) and f["start"]["line"] == line for f in findings) else 1)
PY
}
count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$1"; }

auth0js=$(fetch auth0-js@7.6.1)
json "$auth0js" > "$work/auth0js.json"
has "$work/auth0js.json" RO001 index.js 1287 || fail "auth0-js: var endpoint = '/oauth/ro' (index.js:1287) not found"
has "$work/auth0js.json" DL001 index.js 1704 || fail "auth0-js: var endpoint = '/delegation' (index.js:1704) not found"
echo "auth0-js@7.6.1: $(count "$work/auth0js.json") findings, /oauth/ro and /delegation call sites found"

node_auth0=$(fetch auth0@2.44.1)
json "$node_auth0" > "$work/node-auth0.json"
has "$work/node-auth0.json" DL001 src/auth/TokensManager.js 152 || fail "node-auth0: \${this.baseUrl}/delegation not found"
has "$work/node-auth0.json" RO010 src/auth/DatabaseAuthenticator.js 88 || fail "node-auth0: database signIn through oauth.signIn not found"
has "$work/node-auth0.json" RO010 src/auth/PasswordlessAuthenticator.js 155 || fail "node-auth0: legacy passwordless signIn not found"
if has "$work/node-auth0.json" RO001 src/auth/PasswordlessAuthenticator.js 153; then fail "node-auth0: the deprecation warning message was flagged"; fi
if has "$work/node-auth0.json" RO010 src/auth/PasswordlessAuthenticator.js 139; then fail "node-auth0: signIn with {type: 'token'} (/oauth/token) was flagged"; fi
echo "auth0@2.44.1: $(count "$work/node-auth0.json") findings, call sites found, warning message not flagged"

for pkg in express@4.21.2 express@5.1.0 lodash@4.17.21; do
  dir=$(fetch "$pkg")
  json "$dir" > "$work/clean.json"
  [ "$(count "$work/clean.json")" = 0 ] || fail "$pkg: expected no finding, got $(cat "$work/clean.json")"
  echo "$pkg: no finding"
done

copy="$work/copy"
mkdir -p "$copy"
cp -r "$auth0js" "$copy/auth0-js"
cp -r "$node_auth0" "$copy/node-auth0"
"$bin" fix --unsafe-fixes --no-ignore --quiet --exit-zero "$copy" > /dev/null || true
diff -rq "$auth0js" "$copy/auth0-js" > /dev/null && fail "fix --unsafe-fixes did not change auth0-js"
broken=0
while IFS= read -r -d '' file; do
  node --check "$file" 2>/dev/null || { echo "node --check fails: $file" >&2; broken=1; }
done < <(find "$copy" -name '*.js' -print0)
[ "$broken" = 0 ] || fail "fixed files no longer parse"
echo "fix --unsafe-fixes: auth0-js changed, every .js file passes node --check"
echo "published SDK checks: 1 passed, 0 failed"
