#!/usr/bin/env bash
# Prints the fault matrix the e2e tests recorded (tests/e2e/tests/fault_matrix.rs) as a
# Markdown table, faults down, surfaces across. A case with no outcome failed or did not run,
# and makes this exit 1.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
dir=target/fault-matrix
surfaces=("sign-in" "tree: open a level" "account page" "enterprise: quota")
faults=("503 once" "503 every time" "429, Retry-After: 1" "stall past the timeout" "dropped connection" "malformed body" "401 mid-session")
cat "$dir"/*.tsv 2>/dev/null > "$dir/.all" || true
missing=0
printf '| fault |'; for s in "${surfaces[@]}"; do printf ' %s |' "$s"; done; echo
printf '|---|'; for _ in "${surfaces[@]}"; do printf -- '---|'; done; echo
for f in "${faults[@]}"; do
  printf '| %s |' "$f"
  for s in "${surfaces[@]}"; do
    cell=$(awk -F'\t' -v s="$s" -v f="$f" '$1 == s && $2 == f { print $3 }' "$dir/.all" 2>/dev/null | tail -1)
    if [ -z "$cell" ]; then cell="FAILED or not run"; missing=$((missing + 1)); fi
    printf ' %s |' "$cell"
  done
  echo
done
echo
echo "fault matrix: $(( ${#faults[@]} * ${#surfaces[@]} - missing )) of $(( ${#faults[@]} * ${#surfaces[@]} )) cases passed"
[ "$missing" -eq 0 ]
