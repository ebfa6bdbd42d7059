#!/usr/bin/env bash
# Every fixture and every expected fixed file must stay valid for its language's own
# toolchain, not only for tree-sitter: node --check, python3 -m py_compile, ruby -c,
# php -l, gofmt -e, bash -n, python3 -m json.tool, yaml.safe_load, rustfmt (which fails on a
# syntax error); F# files must parse with no error in the tool's own F# grammar
# (tests/tools/syntax_check.rs). A missing checker is a failure, not a skip (.ci/run
# installs them). Languages without an installable checker here (C#, Java, Kotlin, Swift,
# Objective-C) are covered by the fixture runner's tree-sitter re-parse: a fixed file may
# not have more syntax errors than its original. Terraform (.tf) has no offline checker
# (`terraform fmt -check` needs the terraform binary): the unit test
# lang::hcl::tests::fixtures_have_no_syntax_errors re-parses every .tf fixture with
# tree-sitter-hcl and requires zero ERROR/MISSING nodes (.tf.json files are JSON and are
# checked below).
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
checked=0

check() { # extension, command...
  local ext=$1; shift
  local files
  mapfile -t files < <(find fixtures -name "*.$ext" | sort)
  [ ${#files[@]} -gt 0 ] || return 0
  command -v "$1" > /dev/null || { echo "FAIL: $1 is not installed (needed for .$ext fixtures)"; failed=$((failed + 1)); return; }
  for file in "${files[@]}"; do
    checked=$((checked + 1))
    if ! out=$("$@" "$file" 2>&1); then
      echo "FAIL: $* $file"; echo "$out" | head -5; failed=$((failed + 1))
    fi
  done
}

node_check() { # ES modules and JSX are checked as such
  case "$1" in
    *.mjs) node --check "$1" ;;
    *) node --check "$1" 2>/dev/null || node --input-type=module --check < "$1" ;;
  esac
}

check js node_check
check cjs node --check
check mjs node --check
check py python3 -c 'import sys, py_compile; py_compile.compile(sys.argv[1], cfile="'"$work"'/out.pyc", doraise=True)'
check rb ruby -c
check php php -l
check go gofmt -e -l
check sh bash -n
check json python3 -m json.tool
check yml python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))'
check yaml python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))'
check rs rustfmt --edition 2021 --emit stdout
syntax_check() { cargo run -q --example syntax-check -- "$@"; }
check fs syntax_check fsharp
check fsx syntax_check fsharp
check fsi syntax_check fsharp

# Dependency manifests recognised by name: Ruby DSLs, TOML, XML and JSON ones.
check_named() { # find -name pattern, command...
  local pattern=$1; shift
  local files
  mapfile -t files < <(find fixtures -name "$pattern" ! -name "*.fixed*" | sort)
  [ ${#files[@]} -gt 0 ] || return 0
  command -v "$1" > /dev/null || { echo "FAIL: $1 is not installed (needed for $pattern fixtures)"; failed=$((failed + 1)); return; }
  for file in "${files[@]}"; do
    checked=$((checked + 1))
    if ! out=$("$@" "$file" 2>&1); then
      echo "FAIL: $* $file"; echo "$out" | head -5; failed=$((failed + 1))
    fi
  done
}
check_named Gemfile ruby -c
check_named Podfile ruby -c
check_named pyproject.toml python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))'
check_named Pipfile python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))'
check_named Package.resolved python3 -m json.tool
check_named composer.lock python3 -m json.tool
check_named pom.xml python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])'
check_named '*.csproj' python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])'
check_named packages.config python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])'

# Actions written into strings (a deploy-cli `script`, a Management API payload): every
# string of an expected fixed JSON, YAML or Python file that holds an Action must itself
# pass node --check.
embedded_actions() { # file
  python3 - "$1" "$work" <<'PY'
import ast, json, os, subprocess, sys
import yaml
path, work = sys.argv[1], sys.argv[2]
text = open(path).read()
if path.endswith(".json"):
    roots = [json.loads(text)]
elif path.endswith((".yaml", ".yml")):
    roots = [yaml.safe_load(text)]
else:
    roots = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)]
found, failed = 0, 0
def walk(v):
    global found, failed
    if isinstance(v, dict):
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, str) and "exports.onExecutePostLogin" in v:
        found += 1
        out = os.path.join(work, "action.js")
        open(out, "w").write(v)
        r = subprocess.run(["node", "--check", out], capture_output=True, text=True)
        if r.returncode != 0:
            failed += 1
            print(r.stderr[:400])
for root in roots:
    walk(root)
sys.exit(1 if failed else 0)
PY
}
mapfile -t embedded < <(find fixtures -name "*.fixed.json" -o -name "*.fixed.yaml" -o -name "*.fixed.yml" -o -name "*.fixed.py" | sort)
for file in "${embedded[@]}"; do
  checked=$((checked + 1))
  if ! out=$(embedded_actions "$file" 2>&1); then
    echo "FAIL: the Action held in a string of $file"; echo "$out" | head -5; failed=$((failed + 1))
  fi
done

echo "toolchain checks: $((checked - failed)) passed, $failed failed"
[ "$failed" = 0 ]
