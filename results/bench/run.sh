#!/usr/bin/env bash
# Reproduces the figures of results/bench/README.md on this machine: criterion benchmarks,
# whole-command timings at 1 and all threads, throughput from manifest.json, peak memory at two
# sweep sizes, and bytes per resident and per community. Prints a plain-text report.
# Usage: results/bench/run.sh [--no-criterion]      (about 6 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
bin=$PWD/target/release/commsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)

echo "== machine"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $cores cores"
echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "rustc: $(rustc --version)"

if [ "${1:-}" != "--no-criterion" ]; then
  echo "== criterion (cargo bench; medians in target/criterion/*/*/new/estimates.json)"
  cargo bench --locked --quiet 2>/dev/null | grep -E "^[a-z_0-9/]+ +time:|thrpt:" || true
fi

# Peak RSS in kB and wall seconds of a command.
measure() { /usr/bin/time -f "%M %e" "$@" 2>&1 >/dev/null | tail -1; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['throughput'][sys.argv[2]])" "$@"; }

echo "== whole command: scenarios/pandemic-2020.toml, 200 runs (three repetitions each)"
for threads in 1 "$cores"; do
  for rep in 1 2 3; do
    out="$tmp/p$threads-$rep"
    read -r rss secs < <(measure "$bin" run scenarios/pandemic-2020.toml --out "$out" --quiet --threads "$threads")
    rm_s=$(field "$out/manifest.json" resident_months_per_second)
    rm_t=$(field "$out/manifest.json" resident_months_per_thread_second)
    total=$(field "$out/manifest.json" resident_months)
    printf "threads %s  wall %6.2f s  peak %6d kB  resident-months %s  per s %.3e  per thread-s %.3e\n" \
      "$threads" "$secs" "$rss" "$total" "$rm_s" "$rm_t"
  done
done

echo "== peak memory against the number of runs (sweep-factors-lhs, 1 replicate per point)"
for samples in 200 2000; do
  read -r rss secs < <(measure "$bin" run scenarios/sweep-factors-lhs.toml --out "$tmp/s$samples" \
    --quiet --replicates 1 --set sweep.samples="$samples" --set run.months=12 --set run.burn_in=0)
  printf "runs %5d  wall %6.2f s  peak %6d kB\n" "$samples" "$secs" "$rss"
done

echo "== bytes per resident and per community (one run, one month, peak RSS differences)"
one() { measure "$bin" run scenarios/baseline.toml --out "$tmp/m$RANDOM$RANDOM" --quiet --replicates 1 \
  --set run.months=1 --set run.burn_in=0 --set region.villages=0 --set region.small_towns=0 \
  --set region.large_cities=1 "$@" | cut -d' ' -f1; }
a=$(one --set territory.large_city.population=1000000 --set territory.large_city.communities=10)
b=$(one --set territory.large_city.population=3000000 --set territory.large_city.communities=10)
c=$(one --set territory.large_city.population=100000 --set territory.large_city.communities=20000)
d=$(one --set territory.large_city.population=100000 --set territory.large_city.communities=80000)
python3 -c "print(f'bytes per resident  {($b - $a) * 1024 / 2e6:.1f}  (peak {$a} kB at 1e6, {$b} kB at 3e6)')"
python3 -c "print(f'bytes per community {($d - $c) * 1024 / 6e4:.1f}  (peak {$c} kB at 2e4, {$d} kB at 8e4)')"
