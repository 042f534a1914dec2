#!/usr/bin/env bash
# Builds the solution and runs every test project (restoring first, so it works on a fresh clone).
# The last line of output is always "N passed, N failed, N skipped", summed over the TRX reports.
# Exits non-zero when the build or any test fails.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
results="$(mktemp -d "${TMPDIR:-/tmp}/gen-test-results.XXXXXX")"
trap 'rm -rf "$results"' EXIT

dotnet test Gen.sln -c Release --logger "trx" --results-directory "$results"
status=$?

# Sums one attribute of every report's <Counters .../> element.
count() {
    local name="$1" total=0 value file
    for file in "$results"/*.trx; do
        [ -e "$file" ] || continue
        value="$(grep -o '<Counters [^>]*>' "$file" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]\+' | head -n 1)"
        total=$((total + ${value:-0}))
    done
    echo "$total"
}

passed="$(count passed)"
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
# VSTest counts skipped tests in total but not in executed (and leaves notExecuted at 0).
skipped=$(( $(count total) - $(count executed) ))
not_executed="$(count notExecuted)"
[ "$not_executed" -gt "$skipped" ] && skipped="$not_executed"

reports=$(find "$results" -maxdepth 1 -name '*.trx' | wc -l)
if [ "$status" -eq 0 ] && [ "$reports" -eq 0 ]; then
    echo "No test report was written." >&2
    status=1
fi
if [ "$status" -eq 0 ] && [ "$failed" -gt 0 ]; then
    status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
