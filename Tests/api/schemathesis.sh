#!/usr/bin/env bash
# Tests/api/schemathesis.sh <api-base-url>
#
# Property-based tests of a running Vigil's read API against schemas/openapi.yaml with
# Schemathesis (pinned in Tests/api/requirements.txt, installed into .venv-schemathesis).
# Every operation of the specification is exercised with generated valid and invalid
# parameters; each response must not be a server error (5xx), must use a status code and a
# content type that the specification lists for the operation, and must match the documented
# schema. The run is reproducible (fixed seed), bounded (SCHEMATHESIS_MAX_EXAMPLES per
# operation and phase, 100 by default) and fails when an operation could not be tested at all.
#
# The caller starts `vigil serve` with some data in it (spans, log records, metrics) and passes
# the API's base URL, e.g. http://127.0.0.1:8080. Exit status: 0 when every check passed, 1 on
# any failure, 2 on a usage error. Reports (JUnit XML, a cassette of every request) are written to
# SCHEMATHESIS_REPORT_DIR; without it, to a temporary folder that is kept (and printed) only when
# the run fails.
set -euo pipefail

usage() { echo "usage: $0 <api-base-url>   (e.g. http://127.0.0.1:8080)" >&2; exit 2; }
[ $# -eq 1 ] || usage
base_url="${1%/}"
case "$base_url" in http://*|https://*) ;; *) usage ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
spec="$root/schemas/openapi.yaml"
venv="$root/.venv-schemathesis"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-20261121}"
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then
  report_dir="$SCHEMATHESIS_REPORT_DIR"
  keep_reports=1
else
  report_dir="$(mktemp -d /tmp/vigil-schemathesis.XXXXXX)"
  keep_reports=0
fi
mkdir -p "$report_dir"

log() { printf '[schemathesis] %s\n' "$*" >&2; }

# --- install -------------------------------------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    # Debian splits venv support into its own package.
    source "$root/scripts/lib/common.sh"
    ensure_packages python3-venv
    python3 -m venv "$venv"
  fi
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r "$root/Tests/api/requirements.txt"

# --- the server must answer before the run starts ------------------------------------------
if ! "$venv/bin/python" - "$base_url" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/-/healthy", timeout=10) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception as error:
    print(f"[schemathesis] {sys.argv[1]}/-/healthy: {error}", file=sys.stderr)
    sys.exit(1)
EOF
then
  log "no healthy Vigil API at $base_url"
  exit 1
fi

# --- run -----------------------------------------------------------------------------------
log "testing $base_url against schemas/openapi.yaml (seed $seed, at most $max_examples examples per operation and phase)"
status=0
(
  cd "$report_dir"
  "$venv/bin/schemathesis" run "$spec" \
    --url "$base_url" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --generation-database none \
    --workers 1 \
    --request-timeout 30 \
    --continue-on-failure \
    --no-color \
    --report junit,vcr \
    --report-junit-path "$report_dir/junit.xml" \
    --report-vcr-path "$report_dir/cassette.yaml"
) || status=$?

# --- every operation must have been tested -------------------------------------------------
# Schemathesis reports an operation it could not test (no valid data could be generated, the
# schema could not be used, ...) as skipped or errored rather than failed; treat both as
# failures so that no operation drops out unnoticed.
if ! "$venv/bin/python" - "$spec" "$report_dir/junit.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
import yaml

spec_path, junit_path = sys.argv[1], sys.argv[2]
with open(spec_path) as f:
    spec = yaml.safe_load(f)
expected = {f"{method.upper()} {path}" for path, item in spec["paths"].items()
            for method in item if method in ("get", "put", "post", "delete", "patch", "head", "options")}
try:
    tree = ET.parse(junit_path)
except (OSError, ET.ParseError) as error:
    print(f"[schemathesis] no JUnit report ({error})", file=sys.stderr)
    sys.exit(1)
seen, problems = set(), []
for case in tree.iter("testcase"):
    name = case.get("name", "")
    seen.add(name)
    for kind in ("skipped", "error"):
        for element in case.findall(kind):
            problems.append(f"{name}: {kind}: {(element.get('message') or element.text or '').strip()[:500]}")
missing = sorted(expected - seen)
for name in missing:
    problems.append(f"{name}: not tested")
for problem in problems:
    print(f"[schemathesis] {problem}", file=sys.stderr)
print(f"[schemathesis] {len(expected & seen)} of {len(expected)} operations tested", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
then
  [ "$status" -eq 0 ] && status=1
fi

if [ "$status" -ne 0 ]; then
  log "reports in $report_dir"
  log "FAILED (status $status)"
  exit 1
fi
if [ "$keep_reports" -eq 1 ]; then
  log "reports in $report_dir"
else
  rm -rf "$report_dir"
fi
log "passed"
