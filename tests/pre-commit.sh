#!/usr/bin/env bash
# Runs the real pre-commit (from PyPI, in a temporary virtualenv) with this repository's
# hooks on a temporary git repository: a commit that adds a deprecated call is blocked
# with the finding printed, the fixed commit is accepted, and the fix hook rewrites a
# staged file. The hooks are taken from .pre-commit-hooks.yaml and run on the built
# binary (`language: system`), so no cargo install happens inside pre-commit.
# Usage: bash tests/pre-commit.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$(pwd)
bin=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/auth0-migrate}")
[ -x "$bin" ] || { cargo build --release --quiet; bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/auth0-migrate"); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit==4.*'
export PATH="$work/venv/bin:$PATH"
pre-commit --version

git init --quiet "$work/repo"
cd "$work/repo"
git config user.email ci@example.com
git config user.name CI
git config commit.gpgsign false

# This repository's hooks, as a local repo running the built binary.
python3 - "$repo_root/.pre-commit-hooks.yaml" "$bin" > .pre-commit-config.yaml <<'PY'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
for hook in hooks:
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("auth0-migrate", sys.argv[2], 1)
    hook["stages"] = ["pre-commit"]
check = [h for h in hooks if h["id"] == "auth0-migrate"]
print(yaml.safe_dump({"repos": [{"repo": "local", "hooks": check}]}, sort_keys=False))
PY
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit configuration"
pre-commit install --install-hooks > /dev/null

cat > login.js <<'JS'
const fetch = require('node-fetch');

module.exports = (domain, username, password) =>
  fetch('https://' + domain + '/oauth/ro', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_id: process.env.AUTH0_CLIENT_ID,
      username,
      password,
      connection: 'Username-Password-Authentication',
      grant_type: 'password',
    }),
  });
JS
git add login.js
if git commit -m "Add login" > "$work/blocked.txt" 2>&1; then
  cat "$work/blocked.txt"; fail "the commit with a deprecated /oauth/ro call was accepted"
fi
grep -q "RO001" "$work/blocked.txt" || { cat "$work/blocked.txt"; fail "the blocked commit did not print the RO001 finding"; }
grep -q "login.js" "$work/blocked.txt" || { cat "$work/blocked.txt"; fail "the finding did not name the file"; }
echo "pre-commit: the commit adding fetch('https://' + domain + '/oauth/ro', ...) is blocked with RO001"

sed -i -e "s#/oauth/ro'#/oauth/token'#" -e "s#connection: #realm: #" -e "s#grant_type: 'password'#grant_type: 'http://auth0.com/oauth/grant-type/password-realm'#" login.js
git add login.js
git commit --quiet -m "Add login" > "$work/accepted.txt" 2>&1 || { cat "$work/accepted.txt"; fail "the migrated commit was blocked"; }
echo "pre-commit: the migrated commit is accepted"

# The fix hook rewrites a staged file (pre-commit then stops the commit so the change can be reviewed).
python3 - "$repo_root/.pre-commit-hooks.yaml" "$bin" > .pre-commit-config.yaml <<'PY'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
fix = [h for h in hooks if h["id"] == "auth0-migrate-fix"]
for hook in fix:
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("auth0-migrate", sys.argv[2], 1)
print(yaml.safe_dump({"repos": [{"repo": "local", "hooks": fix}]}, sort_keys=False))
PY
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "Use the fix hook"
git show HEAD~1:login.js > /dev/null
sed -e "s#/oauth/token'#/oauth/ro'#" -e "s#realm: #connection: #" -e "s#'http://auth0.com/oauth/grant-type/password-realm'#'password'#" login.js > legacy.js
git add legacy.js
git commit -m "Add legacy login" > "$work/fixed.txt" 2>&1 || true
grep -q "/oauth/token" legacy.js || { cat "$work/fixed.txt"; fail "the fix hook did not rewrite legacy.js"; }
grep -q "files were modified by this hook" "$work/fixed.txt" || { cat "$work/fixed.txt"; fail "pre-commit did not report the rewrite"; }
echo "pre-commit: the fix hook rewrote the staged file"
echo "pre-commit checks: 3 passed, 0 failed"
