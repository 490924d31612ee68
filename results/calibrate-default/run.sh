#!/usr/bin/env bash
# The shipped calibration of the default region (scenarios/calibrate-default.toml: ABC-SMC over
# eleven keys the report leaves open, against its six patterns), and its posterior set beside its
# prior: the share of draws at which each pattern holds. Writes posterior.csv, generations.csv,
# patterns-posterior.md and patterns-prior.md here; byte-reproducible (fixed seeds). About 5
# minutes on 2 cores. MODEL.md, section 12, reads the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
bin=target/release/commsim
here=results/calibrate-default
scenario=scenarios/calibrate-default.toml
# Draws and replicates of the pattern check: a verdict needs a confidence interval, so more
# replicates than the calibration's four.
draws=100
replicates=20
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" calibrate "$scenario" --out "$tmp/cal" --quiet
cp "$tmp/cal/posterior.csv" "$tmp/cal/generations.csv" "$here/"
# Exit 1 where some draw fails a pattern: the verdicts are the output either way.
"$bin" patterns "$scenario" --posterior "$tmp/cal" --posterior-draws "$draws" \
  --replicates "$replicates" --format markdown > "$here/patterns-posterior.md" || [ $? -eq 1 ]
"$bin" patterns "$scenario" --prior "$draws" --replicates "$replicates" --format markdown \
  > "$here/patterns-prior.md" || [ $? -eq 1 ]
