#!/usr/bin/env bash
# Regenerates results/: for every shipped scenario, results/<name>/summary.csv; for every
# one-change scenario, results/compare/<name>-vs-pandemic-2020/differences.csv (`commsim compare`
# against the reference on common random numbers); and the tables of results/README.md. Every
# file is reproducible byte for byte (fixed seeds; manifest.json, runs.csv and the other per-run
# files are not kept because they carry times or are large).
# Usage: results/regenerate.sh [NAME...]   (default: every scenario of scenarios/ and every
# comparison; a NAME is a scenario name, or <scenario>-vs-pandemic-2020 for a comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=target/release/commsim
reference=pandemic-2020
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  # The Morris screening (4,480 runs, 430 MB of output, about 2.5 minutes) is run by hand:
  # its summary.csv (over 1,000 design points) would be too large to keep here.
  for f in scenarios/*.toml; do
    n=$(basename "$f" .toml)
    [ "$n" = screening-morris ] || names+=("$n")
  done
  # The one-change scenarios: those written as the reference with one thing changed.
  for f in $(grep -l "Compare with scenarios/$reference.toml" scenarios/*.toml); do
    names+=("$(basename "$f" .toml)-vs-$reference")
  done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "${names[@]}"; do
  echo "== $n" >&2
  case "$n" in
    *-vs-"$reference")
      b=${n%-vs-"$reference"}
      "$bin" compare "scenarios/$reference.toml" "scenarios/$b.toml" --out "$tmp/$n" --quiet
      mkdir -p "results/compare/$n"
      cp "$tmp/$n/differences.csv" "results/compare/$n/differences.csv"
      ;;
    *)
      "$bin" run "scenarios/$n.toml" --out "$tmp/$n" --quiet
      mkdir -p "results/$n"
      cp "$tmp/$n/summary.csv" "results/$n/summary.csv"
      ;;
  esac
done
python3 - "${names[@]}" <<'PY'
import csv, os, sys
HEADLINE = ["survival", "crisis_dissolution", "members_end", "grants_won", "external_money",
            "stance_integration", "development_gain_small_town", "prophecy_positive"]
def fmt(x):
    return f"{float(x):.3g}"

diff_rows = []
compare_dir = os.path.join("results", "compare")
for name in sorted(os.listdir(compare_dir)) if os.path.isdir(compare_dir) else []:
    path = os.path.join(compare_dir, name, "differences.csv")
    if not os.path.isfile(path):
        continue
    cells = {}
    for r in csv.DictReader(open(path)):
        if r["outcome"] in HEADLINE and r["n"] != "0":
            d, lo, hi = float(r["difference"]), float(r["ci95_low"]), float(r["ci95_high"])
            text = f"{d:+.3g} ± {float(r['ci95_half_width']):.2g}"
            # An interval that excludes 0 in bold.
            cells[r["outcome"]] = f"**{text}**" if lo > 0 or hi < 0 else text
    b = name[: -len("-vs-pandemic-2020")]
    diff_rows.append(f"| `{b}` | " + " | ".join(cells.get(h, "") for h in HEADLINE) + " |")

rows = []
for name in sorted(os.listdir("results")):
    path = os.path.join("results", name, "summary.csv")
    if not os.path.isfile(path):
        continue
    means = {}
    for r in csv.DictReader(open(path)):
        if r["point"] == "0" and r["outcome"] in HEADLINE:
            means[r["outcome"]] = r["mean"]
    cells = []
    for h in HEADLINE:
        v = means.get(h, "")
        cells.append(fmt(v) if v else "")
    rows.append(f"| `{name}` | " + " | ".join(cells) + " |")
with open("results/README.md", "w") as out:
    out.write("# Results of the shipped scenarios\n\n")
    out.write("Regenerate with `results/regenerate.sh` (about 9 minutes on 2 cores); every file here is\n")
    out.write("reproducible byte for byte, and CI regenerates four of them and compares. What each scenario\n")
    out.write("asks: `scenarios/README.md`. Pictures of `commsim report` pages: `results/report/`; speed and\n")
    out.write("memory: `results/bench/`; common random numbers: `results/crn/`.\n\n")
    out.write("## Each one-change scenario against the reference\n\n")
    out.write("The library scenarios are the reference (`pandemic-2020`: 200 replicates, seed 2020) with one\n")
    out.write("thing changed. Each cell is B minus A, the scenario minus the reference, from\n")
    out.write("`commsim compare scenarios/pandemic-2020.toml scenarios/<scenario>.toml`: the mean paired\n")
    out.write("difference over 200 replicates on common random numbers, ± the half-width of its 95%\n")
    out.write("interval; in bold where the interval excludes 0. Every outcome, with the interval two\n")
    out.write("independent runs would give: `results/compare/<scenario>-vs-pandemic-2020/differences.csv`.\n\n")
    out.write("| scenario | " + " | ".join(HEADLINE) + " |\n")
    out.write("| --- |" + " --- |" * len(HEADLINE) + "\n")
    out.write("\n".join(diff_rows) + "\n\n")
    out.write("## Means\n\n")
    out.write("Mean over replicates of design point 0 (each scenario's own replicates and seed; sweeps show\n")
    out.write("their first point). Full distributions: `results/<scenario>/summary.csv`.\n\n")
    out.write("| scenario | " + " | ".join(HEADLINE) + " |\n")
    out.write("| --- |" + " --- |" * len(HEADLINE) + "\n")
    out.write("\n".join(rows) + "\n")
PY
