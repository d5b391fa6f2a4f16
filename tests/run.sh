#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine (as root) it installs the real servers the integration
# tests start (InfluxDB 1.x, VictoriaMetrics, Prometheus and its promtool, Chromium for the digest), builds the solution, runs every test project and prints one final
# line "N passed, N failed" (", N skipped" when any) counted from the test results themselves.
set -uo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v influxd >/dev/null 2>&1 || packages+=(influxdb)
command -v victoria-metrics >/dev/null 2>&1 || packages+=(victoria-metrics)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || packages+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests/run.sh: missing ${packages[*]}; run as root or: sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
  echo "installing ${packages[*]} (apt)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2 || {
    echo "tests/run.sh: apt-get install ${packages[*]} failed" >&2
    exit 1
  }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=TestResults
rm -rf "$results"

if ! dotnet build Metrics.sln -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Code style and analyzers are enforced by the build (EnforceCodeStyleInBuild, warnings as errors); layout is not, so
# the formatter checks it here and a deviation counts as one failed check.
format_failed=0
if ! format_out=$(dotnet format whitespace Metrics.sln --verify-no-changes 2>&1); then
  echo "$format_out" | grep -v "^Warnings were encountered" >&2
  echo "formatting: run 'dotnet format whitespace Metrics.sln' and commit the result" >&2
  format_failed=1
fi

dotnet test Metrics.sln --no-build -nologo -v quiet \
  --logger "trx;LogFilePrefix=run" --logger "console;verbosity=normal" \
  --results-directory "$results" 2>&1 | grep -vE "^\s*$|NU1603"
test_status=${PIPESTATUS[0]}

projects=$(ls -d tests/*.Tests 2>/dev/null | wc -l)
trx_files=$(find "$results" -name '*.trx' 2>/dev/null | wc -l)
sum() { find "$results" -name '*.trx' -print0 | xargs -0 -r grep -ho "<Counters [^>]*>" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) + format_failed ))
skipped=$(sum notExecuted)

if [ "$trx_files" -lt "$projects" ]; then
  # A test host that crashed leaves no result file: count the project as failed rather than pass silently.
  echo "only $trx_files of $projects test projects reported results" >&2
  failed=$(( failed + projects - trx_files ))
fi
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

# The console log is long and CI may keep only its tail: name every failed test right above the count.
find "$results" -name '*.trx' -print0 | xargs -0 -r grep -ho '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' \
  | sed -n 's/.*testName="\([^"]*\)".*/failed test: \1/p' | sed 's/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g'

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
