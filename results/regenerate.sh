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
. results/one-change.sh
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  # The Morris screening (4,480 runs, 430 MB of output, about 2.5 minutes) is run by hand:
  # its summary.csv (over 1,000 design points) would be too large to keep here. So is the
  # calibration (`commsim calibrate scenarios/calibrate-default.toml`, README "Calibration"),
  # which is not a `run`.
  for f in scenarios/*.toml; do
    n=$(basename "$f" .toml)
    [ "$n" = screening-morris ] || [ "$n" = calibrate-default ] || names+=("$n")
  done
  # The one-change scenarios: those written as the reference with one thing changed.
  for n in $(one_change_scenarios "$reference"); do
    names+=("$n-vs-$reference")
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
EDITION = """The first edition wrote several of the report's patterns into the model; the second makes them
come from agents (MODEL.md, section 4, "Emergence"; what remains is listed in MODEL.md,
section 11):

- **Firms** are agents of each territory, owned by residents. The economy is their work plus the
  public sector. K1 was misread as a larger fall in small places (a per-class
  `economic_exposure`, now gone); the original says their economy has "nowhere to fall", so their
  level is lower and their relative fall no larger, which now follows from fewer firms and a
  larger public sector. Non-payment (K4) is deferred payment of work done (receivables), with
  mutual credit among the members of entrepreneurial communities; barter (K3) settles spending and
  costs in kind; business associations negotiate relief for every firm (A7). Entrepreneurial
  communities are associations of owners and lose their base with their members' firms (R2).
- **Mutual aid and firms' buffers** (K4): an association pools its members' liquidity, those
  above its mean buying the unpaid receivables of those below (`crisis.mutual_aid`, which moved no
  outcome in the screen when it only lent to firms already in debt); firms differ in how much of
  their clientele stops paying. The owner draws what a firm earns above its reserve
  (`economy.reserve`, 4 months of costs, was 1 month with the margin kept for good, so that old
  firms were nearly crisis-proof). `participation.activist_core`, dead in the screen, is gone.
- **Stances** start neutral for every community; the order of pattern 1 comes from the stance
  chain alone.
- **Grants bind**: requests within their call's budget, a contest where most applications lose,
  a decaying track record (the Matthew effect) and a federal competition for a comfortable urban
  environment whose awards reach the reported 55 million; `grants.budget` is 30 (was 120) beside
  `grants.urban.budget` 80.
- **Tasks**: a community's work is a portfolio of paid, voluntary, online and pressing tasks by
  direction of influence (D1-D6). Restrictions postpone in-person tasks into a backlog and put off
  starts (A1), new online tasks appear (A2), pressing tasks are taken up only on idle capacity (A3,
  R3), sidelined tasks return through collective will, and the end of the epidemic voids part of
  the backlog (P2, `crisis.voiding`). The first edition's conversion of freed commercial capacity
  into volunteering (`crisis.volunteer_conversion`) is gone: volunteering replaces commerce because
  paid tasks lose their orders while pressing tasks fill the idle capacity.
- **The time pit** is learned: each community's horizon is 1 / (1/12 + its perceived rate of broken
  plans), so the floor `horizon.crisis_min` is gone; with nothing postponed the horizon stays at 12.
- **Ties** are a graph of typed edges (other communities, firms, outside organisations, the
  administration, grant programmes); tie diversity is computed from the edges, word of grant calls
  and expectations travel along them (`ties.fade`, `ties.expectation_pull`, `grants.awareness`).
- **The study's own observation**: outcomes at the report's three waves (months 13-14, 15-16,
  23-26) and the R1 sample of 20 communities (`r1_signals`).
- **Patterns 2, 3, 5 and 6** are measured as the excess over each run's no-shock twin; switching
  off the generator of every pattern makes it fail (`tests/patterns.rs`); pattern 2's is the
  members' hardship, the stress of private-sector residents (`dissolution.stress_hazard`, new) with
  the lost commercial base.
- **The same present** (since this regeneration): a what-if's burn-in runs under the reference
  (`run.burn_in_under = "reference"`, the default) and its own values take effect at month 0,
  where agents adopt the traits it changes, each keeping its rank. Every difference above is
  therefore "what if this changed now": `communities_start` and `members_start` differ by exactly
  0 replicate by replicate, where before a harmful scenario started from the survivors of its own
  burn-in (`grants-none` began with 0.77 fewer communities and 13.5 fewer members). Differences
  that came partly from the changed start shrink: `results/burn-in/README.md` sets both readings
  side by side for eight scenarios on today's model.
- **Smaller corrections** in the same regeneration: the initial communities' founding months now
  precede the region's first month (some were dated after it, so their liability of newness was
  counted from the future); an entrepreneurial community none of whose members owns a firm sells
  on the residents' market like any other, instead of being untouched by the crisis.

"""
EDITION_OUTCOMES = ["survival", "crisis_dissolution", "crisis_dissolution_excess",
                    "crisis_dissolution_entrepreneurial_excess", "stance_integration",
                    "stance_confrontation", "grant_applications", "grants_won", "grant_money",
                    "grant_top_share", "grant_max_award", "economy_drop_village",
                    "economy_drop_large_city", "economy_level_village", "economy_level_large_city",
                    "firms_closed_large_city", "horizon_trough", "volunteer_share_during",
                    "commercial_share_during", "activity_drop_village", "activity_drop_large_city",
                    "r1_signals", "tie_diversity_end", "members_end"]

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
    out.write("Regenerate with `results/regenerate.sh` (61 minutes measured on 2 cores shared with three other\n")
    out.write("builds; less on a quiet machine); every file here is\n")
    out.write("reproducible byte for byte, and CI regenerates four of them and compares. What each scenario\n")
    out.write("asks: `scenarios/README.md`. Pictures of `commsim report` pages: `results/report/`; speed and\n")
    out.write("memory: `results/bench/`; common random numbers: `results/crn/`; the shipped calibration,\n")
    out.write("its posterior against its prior: `results/calibration/`; the two readings of the burn-in side\n")
    out.write("by side: `results/burn-in/`; the output formats' sizes and write speeds (CSV, gzipped CSV,\n")
    out.write("Parquet) on a sweep of 10^5 points: `results/formats/`.\n\n")
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
    out.write("## Second edition of the model: what changed and why\n\n")
    out.write(EDITION)
    out.write("| outcome (pandemic-2020, point 0) | first edition | second edition |\n| --- | --- | --- |\n")
    first = {r["outcome"]: r["mean"] for r in csv.DictReader(open("results/first-edition/pandemic-2020-summary.csv")) if r["point"] == "0"}
    now = {r["outcome"]: r["mean"] for r in csv.DictReader(open("results/pandemic-2020/summary.csv")) if r["point"] == "0"}
    for o in EDITION_OUTCOMES:
        a, b = first.get(o, ""), now.get(o, "")
        out.write(f"| `{o}` | {fmt(a) if a else 'not an outcome'} | {fmt(b) if b else ''} |\n")
    out.write("\n## Means\n\n")
    out.write("Mean over replicates of design point 0 (each scenario's own replicates and seed; sweeps show\n")
    out.write("their first point). Full distributions: `results/<scenario>/summary.csv`.\n\n")
    out.write("| scenario | " + " | ".join(HEADLINE) + " |\n")
    out.write("| --- |" + " --- |" * len(HEADLINE) + "\n")
    out.write("\n".join(rows) + "\n")
PY
