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
  echo "== criterion (cargo bench): medians with their 95% intervals"
  cargo bench --locked --quiet >/dev/null 2>&1
  python3 - <<'PY'
import glob, json, os
for path in sorted(glob.glob("target/criterion/*/*/new/estimates.json")):
    median = json.load(open(path))["median"]
    name = "/".join(path.split(os.sep)[2:4])
    lo, hi = median["confidence_interval"]["lower_bound"], median["confidence_interval"]["upper_bound"]
    scale = next((f, u) for f, u in [(1e9, "s"), (1e6, "ms"), (1e3, "µs"), (1, "ns")] if median["point_estimate"] >= f)
    print(f"{name:40} median {median['point_estimate'] / scale[0]:9.3f} {scale[1]}  [{lo / scale[0]:.3f}, {hi / scale[0]:.3f}]")
PY
fi

# Peak RSS in kB and wall seconds of a command; stops the script if the command fails.
measure() {
  if ! /usr/bin/time -o "$tmp/time" -f "%M %e" "$@" >/dev/null 2>"$tmp/err"; then
    echo "failed: $*" >&2; cat "$tmp/err" >&2; exit 1
  fi
  cat "$tmp/time"
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['throughput'][sys.argv[2]])" "$@"; }

echo "== whole command: scenarios/pandemic-2020.toml, 200 runs (three repetitions each)"
for threads in 1 "$cores"; do
  for rep in 1 2 3; do
    out="$tmp/p$threads-$rep"
    res=$(measure "$bin" run scenarios/pandemic-2020.toml --out "$out" --quiet --threads "$threads")
    read -r rss secs <<< "$res"
    rm_s=$(field "$out/manifest.json" resident_months_per_second)
    rm_t=$(field "$out/manifest.json" resident_months_per_thread_second)
    total=$(field "$out/manifest.json" resident_months)
    printf "threads %s  wall %6.2f s  peak %6d kB  resident-months %s  per s %.3e  per thread-s %.3e\n" \
      "$threads" "$secs" "$rss" "$total" "$rm_s" "$rm_t"
  done
done

echo "== peak memory against the number of runs (sweep-factors-lhs, 1 replicate per point)"
for samples in 200 2000; do
  res=$(measure "$bin" run scenarios/sweep-factors-lhs.toml --out "$tmp/s$samples" \
    --quiet --replicates 1 --set sweep.samples="$samples" --set run.months=24 --set run.burn_in=0)
  read -r rss secs <<< "$res"
  printf "runs %5d  wall %6.2f s  peak %6d kB\n" "$samples" "$secs" "$rss"
done

echo "== bytes per resident and per community (one run, one month, peak RSS differences; the"
echo "   communities' members are residents counted in both runs)"
one() { measure "$bin" run scenarios/baseline.toml --out "$tmp/m$RANDOM$RANDOM" --quiet --replicates 1 \
  --set run.months=1 --set run.burn_in=0 --set region.villages=0 --set region.small_towns=0 \
  --set region.large_cities=1 "$@" | cut -d' ' -f1; }
a=$(one --set territory.large_city.population=1000000 --set territory.large_city.communities=10)
b=$(one --set territory.large_city.population=3000000 --set territory.large_city.communities=10)
c=$(one --set territory.large_city.population=3000000 --set territory.large_city.communities=20000)
d=$(one --set territory.large_city.population=3000000 --set territory.large_city.communities=80000)
python3 -c "print(f'bytes per resident  {($b - $a) * 1024 / 2e6:.1f}  (peak {$a} kB at 1e6, {$b} kB at 3e6)')"
python3 -c "print(f'bytes per community {($d - $c) * 1024 / 6e4:.1f}  (peak {$c} kB at 2e4, {$d} kB at 8e4)')"
