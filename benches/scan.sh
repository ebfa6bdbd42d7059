#!/usr/bin/env bash
# Scan speed and peak memory of auth0-migrate, as ratios to rg and ast-grep on
# the same files. Build the corpus first: bash benches/corpus.sh
#
#   bash benches/scan.sh [CORPUS_DIR]     (default: target/bench-corpus)
#
# Environment:
#   RUNS=5 WARMUP=1   hyperfine runs and warmup runs per command
#   SKIP_TOOL=1       measure rg and ast-grep only (no cargo build)
#   BUILD=0           measure the auth0-migrate binary already in target/release
#
# Writes target/bench-results.md (also printed) and the raw hyperfine JSON
# under target/bench-json/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="$(realpath -m -- "${1:-$ROOT/target/bench-corpus}")"
cd "$ROOT"

RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
SKIP_TOOL="${SKIP_TOOL:-0}"
BUILD="${BUILD:-1}"
AST_GREP_VERSION="0.51.1"
TOOLS_DIR="$ROOT/target/bench-tools"
TRIGGERS="$CORPUS/triggers.txt"
OUT_JSON="$ROOT/target/bench-json"
RESULTS="$ROOT/target/bench-results.md"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/auth0-migrate"

die() { echo "scan.sh: $*" >&2; exit 1; }
log() { echo "scan.sh: $*" >&2; }

# --- prerequisites -----------------------------------------------------------

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "please install: $*"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$APT_UPDATED" -eq 0 ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

command -v hyperfine >/dev/null || apt_install hyperfine
command -v rg >/dev/null || apt_install ripgrep
[ -x /usr/bin/time ] || apt_install time
command -v node >/dev/null || die "node is needed (for npm and to read hyperfine's JSON)"

if [ ! -d "$CORPUS/src" ] || [ ! -d "$CORPUS/with-triggers" ] || [ ! -f "$TRIGGERS" ]; then
  die "no corpus at $CORPUS: run 'bash benches/corpus.sh' first"
fi
# The no-trigger tree is only trigger-free for the list it was pruned with.
if [ "$(bash "$ROOT/benches/triggers.sh")" != "$(cat "$TRIGGERS")" ]; then
  die "the rules' trigger literals changed since the corpus was built: run 'bash benches/corpus.sh' again"
fi

# ast-grep from npm (the package ships the binary).
AST_GREP="$TOOLS_DIR/node_modules/.bin/ast-grep"
if ! "$AST_GREP" --version 2>/dev/null | grep -qF "$AST_GREP_VERSION"; then
  log "installing @ast-grep/cli@$AST_GREP_VERSION into $TOOLS_DIR"
  npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS_DIR" \
    "@ast-grep/cli@$AST_GREP_VERSION" >/dev/null
fi
if ! "$AST_GREP" --version >/dev/null 2>&1; then
  # The wrapper is set up by a postinstall script; fall back to the platform package.
  AST_GREP="$(find "$TOOLS_DIR/node_modules/@ast-grep" -path '*cli-linux-*/ast-grep' -type f | head -n 1)"
  if [ -z "$AST_GREP" ] || ! "$AST_GREP" --version >/dev/null 2>&1; then
    die "ast-grep $AST_GREP_VERSION did not install under $TOOLS_DIR"
  fi
fi

if [ "$SKIP_TOOL" != 1 ]; then
  if [ "$BUILD" != 0 ]; then
    log "cargo build --release"
    if ! cargo build --release; then
      die "'cargo build --release' failed: fix the build, or run with SKIP_TOOL=1 to measure rg and ast-grep only"
    fi
  fi
  [ -x "$BIN" ] || die "no binary at $BIN (cargo build --release)"
fi

# --- commands ----------------------------------------------------------------

# Each is a shell command string, run the same way by hyperfine and by
# /usr/bin/time (sh -c). Paths are quoted with printf %q.
q() { printf '%q' "$1"; }

# rg looks for the tool's trigger literals, case-insensitively as the tool does.
# It exits 1 when nothing matches: accept 0 and 1, fail on 2 (an error).
rg_cmd() {
  echo "rg --no-ignore -c -i -F -f $(q "$TRIGGERS") $(q "$1") > /dev/null; [ \$? -le 1 ]"
}
ast_grep_cmd() {
  echo "$(q "$AST_GREP") run --pattern 'fetch(\$URL, \$\$\$)' --lang js" \
       "--no-ignore vcs --no-ignore parent --no-ignore dot --no-ignore exclude --no-ignore global" \
       "$(q "$1") > /dev/null"
}
tool_cmd() {
  echo "$(q "$BIN") check --no-ignore --exit-zero --quiet --output-format json $(q "$1") > /dev/null"
}

TOOLS=(rg ast-grep)
[ "$SKIP_TOOL" = 1 ] || TOOLS+=(auth0-migrate)

cmd_for() {
  case "$1" in
    rg) rg_cmd "$2" ;;
    ast-grep) ast_grep_cmd "$2" ;;
    auth0-migrate) tool_cmd "$2" ;;
  esac
}

# Peak RSS in MiB of one run of a command.
peak_rss_mib() {
  local report
  report="$(mktemp)"
  if ! /usr/bin/time -v sh -c "$1" 2> "$report" >/dev/null; then
    cat "$report" >&2
    rm -f "$report"
    die "command failed: $1"
  fi
  awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$report"
  rm -f "$report"
}

# Read hyperfine's JSON: one "name<TAB>mean<TAB>stddev" line per command.
hyperfine_means() {
  node -e '
    const r = require(process.argv[1]).results;
    for (const x of r) console.log([x.command, x.mean, x.stddev].join("\t"));
  ' "$1"
}

# One run of the tool without --exit-zero before timing it: it must not fail
# (exit 2), and it should find nothing in src (exit 0) and report findings in
# with-triggers (exit 1, some JSON). Otherwise the timings measure no real scan,
# and the results say so. The JSON is kept under target/bench-json/.
WARNINGS=()
declare -A FINDINGS=()
tool_sanity() {
  local dir="$1" expect="$2" name out err rc
  name="$(basename -- "$dir")"
  out="$OUT_JSON/auth0-migrate-$name.json"
  err="$OUT_JSON/auth0-migrate-$name.stderr"
  set +e
  "$BIN" check --no-ignore --quiet --output-format json "$dir" > "$out" 2> "$err"
  rc=$?
  set -e
  if [ "$rc" -ge 2 ]; then
    tail -n 20 "$err" >&2
    die "'auth0-migrate check --no-ignore --quiet --output-format json $dir' exited $rc (usage, config or I/O error; stderr above)"
  fi
  if [ "$rc" -ne "$expect" ]; then
    local hint=""
    [ "$expect" -eq 0 ] && hint="; is a trigger literal of the tool missing from benches/triggers.txt?"
    WARNINGS+=("auth0-migrate exited $rc on $name, expected $expect (output: ${out#"$ROOT/"}$hint)")
  fi
  if [ "$expect" -eq 1 ] && [ ! -s "$out" ]; then
    WARNINGS+=("auth0-migrate printed no JSON on $name, which has 50 files calling /oauth/ro: these timings do not measure a working scan")
  fi
  # The number of findings, when the JSON is a list of them.
  FINDINGS[$name]="$(node -e '
    try { const j = require(process.argv[1]); console.log(Array.isArray(j) ? j.length : "?"); }
    catch (e) { console.log("?"); }
  ' "$out")"
}

# --- run ---------------------------------------------------------------------

mkdir -p "$OUT_JSON"
files_mb() {
  find "$1" -type f -printf '%s\n' |
    awk '{ n++; s += $1 } END { printf "%d files, %.1f MB", n, s / 1e6 }'
}

{
  echo "# auth0-migrate scan benchmark"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
       "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "- rg $(rg --version | awk 'NR == 1 { print $2 }'), ast-grep $("$AST_GREP" --version | awk '{ print $2 }')," \
       "hyperfine $(hyperfine --version | awk '{ print $2 }')"
  if [ "$SKIP_TOOL" = 1 ]; then
    echo "- auth0-migrate: not measured (SKIP_TOOL=1)"
  else
    version="$("$BIN" --version 2>/dev/null || true)"
    echo "- auth0-migrate: ${version:-version unknown}," \
         "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "none")" \
         "$( [ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || echo "(dirty)")"
  fi
  echo "- hyperfine: $WARMUP warmup + $RUNS runs per command, warm page cache; peak RSS from one run of /usr/bin/time -v"
  echo "- corpus digest: $(cat "$CORPUS/digest.txt" 2>/dev/null || echo unknown) (benches/corpus.sh)," \
       "pruned of $(wc -l < "$TRIGGERS") trigger literals"
} > "$RESULTS.head"
: > "$RESULTS.tmp"

for corpus in src with-triggers; do
  dir="$CORPUS/$corpus"
  json="$OUT_JSON/$corpus.json"
  args=()
  for t in "${TOOLS[@]}"; do
    args+=(--command-name "$t" "$(cmd_for "$t" "$dir")")
  done

  if [ "$SKIP_TOOL" != 1 ]; then
    case "$corpus" in
      src) tool_sanity "$dir" 0 ;;
      with-triggers) tool_sanity "$dir" 1 ;;
    esac
  fi

  log "hyperfine on $dir"
  hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" "${args[@]}" >&2

  {
    echo
    case "$corpus" in
      src) echo "## No trigger literal ($(files_mb "$dir"))" ;;
      with-triggers) echo "## With triggers ($(files_mb "$dir"), 50 of them call /oauth/ro)" ;;
    esac
    if [ -n "${FINDINGS[$corpus]:-}" ]; then
      echo
      echo "auth0-migrate findings: ${FINDINGS[$corpus]}"
    fi
    echo
    echo "| tool | mean ± σ | ratio to rg | ratio to ast-grep | peak RSS |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    rg_mean="$(hyperfine_means "$json" | awk -F'\t' '$1 == "rg" { print $2 }')"
    ag_mean="$(hyperfine_means "$json" | awk -F'\t' '$1 == "ast-grep" { print $2 }')"
    hyperfine_means "$json" | while IFS=$'\t' read -r name mean sd; do
      rss="$(peak_rss_mib "$(cmd_for "$name" "$dir")")"
      awk -v n="$name" -v m="$mean" -v s="$sd" -v r="$rg_mean" -v a="$ag_mean" -v rss="$rss" 'BEGIN {
        if (m < 1) t = sprintf("%.1f ms ± %.1f", m * 1000, s * 1000)
        else       t = sprintf("%.2f s ± %.2f", m, s)
        printf "| %s | %s | %.2f× | %.2f× | %s MiB |\n", n, t, m / r, m / a, rss
      }'
    done
  } >> "$RESULTS.tmp"
done

{
  echo
  echo "Commands (DIR: the tree, CORPUS/src or CORPUS/with-triggers):"
  echo
  for t in "${TOOLS[@]}"; do
    echo "- $t: \`$(cmd_for "$t" DIR | sed "s|$ROOT/||g")\`"
  done
} >> "$RESULTS.tmp"

if [ "${#WARNINGS[@]}" -gt 0 ]; then
  echo >> "$RESULTS.head"
  for w in "${WARNINGS[@]}"; do
    echo "> **Warning**: $w" >> "$RESULTS.head"
    log "warning: $w"
  done
fi

cat -- "$RESULTS.head" "$RESULTS.tmp" > "$RESULTS"
rm -f -- "$RESULTS.head" "$RESULTS.tmp"
echo
cat "$RESULTS"
