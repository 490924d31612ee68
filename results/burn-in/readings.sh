#!/usr/bin/env bash
# The two readings of the burn-in side by side (MODEL.md, section 5, "Burn-in"): each one-change
# scenario against pandemic-2020 on common random numbers, once with the burn-in under the
# reference (the default: the same present, a different future) and once under the scenario's own
# values (`--set run.burn_in_under=scenario`: a region that had always been so). Writes
# results/burn-in/README.md; the differences under the default are results/compare/'s, so run
# results/regenerate.sh first. Byte-reproducible (fixed seeds).
# Usage: results/burn-in/readings.sh [SCENARIO...]   (default: the eight below; "all" for every
# one-change scenario, about 25 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
bin=target/release/commsim
reference=pandemic-2020
. results/one-change.sh
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(grants-none barrier-human-capital barrier-no-recognition barrier-no-business-skills
         lever-l8-training lever-l11-leader-support levers-package crisis-single-long-shock)
elif [ "${names[0]}" = all ]; then
  mapfile -t names < <(one_change_scenarios "$reference")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "${names[@]}"; do
  echo "== $n" >&2
  "$bin" compare "scenarios/$reference.toml" "scenarios/$n.toml" --out "$tmp/$n" --quiet \
    --set run.burn_in_under=scenario
  mkdir -p "results/burn-in/$n"
  cp "$tmp/$n/differences.csv" "results/burn-in/$n/differences.csv"
done
python3 - "${names[@]}" <<'PY'
import csv, sys
OUTCOMES = ["communities_start", "members_start", "survival", "crisis_dissolution",
            "members_end", "grants_won", "stance_integration", "development_gain_small_town"]

def cells(path):
    out = {}
    for r in csv.DictReader(open(path)):
        if r["outcome"] in OUTCOMES and r["n"] != "0":
            d, lo, hi = float(r["difference"]), float(r["ci95_low"]), float(r["ci95_high"])
            text = f"{d:+.3g} ± {float(r['ci95_half_width']):.2g}"
            out[r["outcome"]] = f"**{text}**" if lo > 0 or hi < 0 else text
    return out

with open("results/burn-in/README.md", "w") as f:
    f.write("# The two readings of the burn-in\n\n")
    f.write("Regenerate with `results/burn-in/readings.sh` (after `results/regenerate.sh`). Each pair of\n")
    f.write("rows is one scenario against `pandemic-2020` (200 paired replicates, seed 2020), B minus A\n")
    f.write("± the half-width of its 95% interval, in bold where the interval excludes 0:\n\n")
    f.write("- **reference** (the default, `run.burn_in_under = \"reference\"`): the burn-in runs under the\n")
    f.write("  reference's values and the scenario's take effect at month 0. *What if this changed now?*\n")
    f.write("  Both start from one present, so `communities_start` and `members_start` differ by 0.\n")
    f.write("- **scenario** (`--set run.burn_in_under=scenario`): the scenario's values hold from the first\n")
    f.write("  burn-in month. *What if this region had always been so?* A harmful scenario then starts\n")
    f.write("  from the survivors of its own harm, and its differences mix the two questions.\n\n")
    f.write("A scenario that changes only its shocks (`crisis-single-long-shock`) gives the same\n")
    f.write("differences under both readings, to the last digit: the burn-in has no shocks.\n\n")
    f.write("| scenario | reading | " + " | ".join(OUTCOMES) + " |\n")
    f.write("| --- | --- |" + " --- |" * len(OUTCOMES) + "\n")
    for n in sys.argv[1:]:
        for reading, path in [("reference", f"results/compare/{n}-vs-pandemic-2020/differences.csv"),
                              ("scenario", f"results/burn-in/{n}/differences.csv")]:
            c = cells(path)
            f.write(f"| `{n}` | {reading} | " + " | ".join(c.get(o, "") for o in OUTCOMES) + " |\n")
PY
