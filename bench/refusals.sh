#!/usr/bin/env bash
# How fast hostile playbooks are refused: a billion-laughs alias bomb, a 100 MB file and
# 10,000-deep nesting, beside the shipped playbook for scale. Builds the release binary.
# Usage: bench/refusals.sh [runs]   (default 10 runs each; prints the median and max)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
cargo build --release --quiet
irp="${CARGO_TARGET_DIR:-target}/release/irp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys, os
d = sys.argv[1]
head = "irp: 1\nid: x\ntitle: x\n"
lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
open(f"{d}/laughs.yaml", "w").write(head + "\n".join(lines) + "\nsteps: *a9\n")
open(f"{d}/deep-flow.yaml", "w").write(head + "steps: " + "[" * 10000 + "]" * 10000 + "\n")
open(f"{d}/deep-block.yaml", "w").write(head + "steps:\n" + "- " * 10000 + "x\n")
step = "  - {id: s, phase: detection, title: padding padding padding, action: manual}\n"
with open(f"{d}/big.yaml", "w") as f:
    f.write(head + "steps:\n")
    f.write(step * (100 * 1024 * 1024 // len(step) + 1))
PY
cp playbooks/network-change.yaml "$work/network-change.yaml"

printf '%-20s %10s %10s %s\n' file median_ms max_ms exit
for name in network-change laughs deep-flow deep-block big; do
  times=()
  code=0
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$irp" validate "$work/$name.yaml" --format json >/dev/null 2>&1 && code=0 || code=$?
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  median=${sorted[$(( runs / 2 ))]}
  max=${sorted[$(( runs - 1 ))]}
  awk -v n="$name" -v m="$median" -v x="$max" -v c="$code" \
    'BEGIN { printf "%-20s %10.2f %10.2f %s\n", n, m / 1000, x / 1000, c }'
done
