#!/usr/bin/env bash
# Size and write speed of each output format (README, "Choosing outputs"): one LHS sweep of
# 10^5 design points x 1 replicate of a tiny region (2 villages, 12 months after a 3-month
# burn-in under the scenario's own values, so that a point costs little to set up), written as
# CSV, gzipped CSV (output.compress) and Parquet (output.format), each timed with
# /usr/bin/time -v (wall time, peak memory), and once with almost nothing written (one outcome,
# no summary, survival or points) for the time spent simulating. Writes figures.tsv here.
# Usage: results/formats/measure.sh [SCRATCH_DIR]   (needs about 6 GB free there)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
bin=$PWD/target/release/commsim
scratch=${1:-$(mktemp -d)}
mkdir -p "$scratch"
args=(run scenarios/sweep-factors-lhs.toml --quiet
  --set sweep.samples=100000 --set run.replicates=1
  --set region.villages=2 --set region.small_towns=0 --set region.large_cities=0
  --set run.months=12 --set run.burn_in=3 --set 'run.burn_in_under="scenario"'
  --set shocks.0.start_month=3 --set shocks.0.duration_months=6
  --set 'shocks.0.profile=[1.0, 0.8, 0.5, 0.5, 0.8, 1.0]')
figures=results/formats/figures.tsv
printf 'format\twhat\tvalue\n' > "$figures"
for format in none csv csv.gz parquet; do
  case $format in
    none) set=(--set output.outcomes=survival --set output.summary=false
               --set output.survival=false --set output.points=false) ;;
    csv) set=() ;;
    csv.gz) set=(--set output.compress=true) ;;
    parquet) set=(--set output.format=parquet) ;;
  esac
  out=$scratch/$format
  rm -rf "$out"
  echo "== $format" >&2
  /usr/bin/time -v -o "$scratch/$format.time" "$bin" "${args[@]}" "${set[@]}" --out "$out"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$scratch/$format.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$scratch/$format.time")
  printf '%s\twall_clock\t%s\n%s\tpeak_rss_kb\t%s\n' "$format" "$wall" "$format" "$rss" >> "$figures"
  for f in "$out"/*; do
    printf '%s\t%s\t%s\n' "$format" "$(basename "$f")" "$(stat -c %s "$f")" >> "$figures"
  done
  rm -rf "$out"
done
echo "command: commsim ${args[*]} (then the format's --set)" >&2
cat "$figures"
