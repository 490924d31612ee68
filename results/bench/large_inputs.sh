#!/usr/bin/env bash
# Times `commsim check` on large inputs: grids over one long list of values, many [[shocks]],
# a product grid and a Latin hypercube of 10^6 points, and a design file of 10^6 rows
# (results/bench/README.md, "Large inputs"). Every time includes check's probe (about 0.3 s).
# Usage: results/bench/large_inputs.sh [BINARY]   (default: the release build; give an older
# binary to time it on the same inputs)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -ge 1 ]; then
  bin=$(realpath "$1")
else
  cargo build --release --locked --quiet
  bin=$PWD/target/release/commsim
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def write(name, text):
    open(f"{d}/{name}", "w").write(text)
for n in (10**4, 10**5):
    values = ", ".join(f"{i / n:.7f}" for i in range(n))
    write(f"grid-{n}-values.toml", f'[sweep]\ndesign = "grid"\n[sweep.parameters]\n"community.recognition" = [{values}]\n')
for n in (10**4, 4 * 10**4):
    write(f"{n}-shocks.toml", "[run]\nmonths = 48\n" + "[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\n" * n)
values = ", ".join(f"{i / 1000:.3f}" for i in range(1000))
write("grid-1000x1000.toml", f'[sweep]\ndesign = "grid"\n[sweep.parameters]\n"community.recognition" = [{values}]\n"territory.village.youth_outflow" = [{values}]\n')
write("lhs-1000000.toml", '[sweep]\ndesign = "lhs"\nsamples = 1000000\n[sweep.parameters]\n"community.recognition" = { min = 0, max = 1 }\n')
write("points.csv", "community.recognition\n" + "".join(f"{i / 10**6}\n" for i in range(10**6)))
write("file-1000000.toml", '[sweep]\ndesign = "file"\nfile = "points.csv"\n')
PY
for f in grid-10000-values grid-100000-values 10000-shocks 40000-shocks grid-1000x1000 lhs-1000000 file-1000000; do
  /usr/bin/time -o "$tmp/time" -f "%e %M" "$bin" check "$tmp/$f.toml" >/dev/null
  read -r secs rss < "$tmp/time"
  printf "%-22s %7.2f s  peak %7d kB\n" "$f" "$secs" "$rss"
done
