#!/usr/bin/env python3
"""Writes scenarios/robustness-lhs.toml: the reference crisis (pandemic-2020.toml) over a Latin
hypercube of +-30% around the defaults of every parameter screened in screening-morris.toml,
except the switches that make a pattern fail (MODEL.md, section 4, "Emergence"), which stay at
their defaults. `commsim patterns scenarios/robustness-lhs.toml` then says at how many design
points each pattern holds.

Run from the repository root: python3 results/robustness/make_scenario.py [path/to/commsim]
"""
import csv
import io
import re
import subprocess
import sys

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/commsim"
SPREAD = 0.3
SAMPLES = 60
REPLICATES = 40
# The generator of each pattern: held at its default (MODEL.md, section 4).
SWITCHES = {
    "stance.integration_rate": 1,
    "crisis.postponement": 4,
    "crisis.pressing_tasks": 5,
    "dissolution.commercial_exposure": 3,
    "dissolution.stress_hazard": 2,
    "territory.village.business_density": 6,
    "territory.small_town.business_density": 6,
    "territory.village.public_sector_share": 6,
    "territory.small_town.public_sector_share": 6,
}

params = {
    row["key"]: row
    for row in csv.DictReader(
        io.StringIO(subprocess.check_output([BINARY, "params", "--format", "csv"], text=True))
    )
}
screened = re.findall(r'^"([^"]+)" = \{ min', open("scenarios/screening-morris.toml").read(), re.M)


def bounds(key):
    low, high = (float(x) for x in params[key]["range"].strip("[]").split(","))
    default = float(params[key]["default"])
    return default, max(low, default * (1 - SPREAD)), min(high, default * (1 + SPREAD))


lines = [
    "# Do the six patterns survive when everything else is uncertain? The reference crisis of",
    "# pandemic-2020.toml over a Latin hypercube of +-30% around the defaults of every parameter",
    "# screened in screening-morris.toml (clipped to each key's range), with the switches that make",
    "# a pattern fail held at their defaults (MODEL.md, section 4, \"Emergence\"):",
    "# " + ", ".join(sorted(SWITCHES)) + ".",
    "# Written by results/robustness/make_scenario.py; do not edit by hand.",
    f"# Runs: {SAMPLES} design points x {REPLICATES} replicates, each with its no-shock twin.",
    "# Run: commsim patterns scenarios/robustness-lhs.toml (the share of points where each pattern",
    "# holds; --format csv gives the verdict of every point). Results: results/robustness/.",
    "",
    "# Scenario name; results go to results/robustness-lhs/ unless --out says otherwise.",
    'name = "robustness-lhs"',
    "",
    "[run]",
    "# Four years, 2019 to 2022, as in pandemic-2020.toml.",
    "months = 48",
    "# Replicates per design point: enough for each pattern's intervals at one point.",
    f"replicates = {REPLICATES}",
    "# Master seed; it also draws the hypercube.",
    "seed = 30",
    "",
    "[region]",
    "# Territories of each class, as in pandemic-2020.toml.",
    "villages = 10",
    "small_towns = 4",
    "large_cities = 1",
    "",
    "# The pandemic of pandemic-2020.toml: April 2020 to March 2021, in two waves.",
    "[[shocks]]",
    "# Month the crisis starts (month 0 is January 2019).",
    "start_month = 15",
    "# It lasts a year.",
    "duration_months = 12",
    "# Peak intensity in [0, 1] (not varied: the patterns are about this crisis).",
    "severity = 0.85",
    "# Economic hit, gatherings restricted, pressing tasks.",
    'kind = "pandemic"',
    "# Monthly intensity relative to severity, April to March.",
    "profile = [1.0, 0.9, 0.6, 0.35, 0.3, 0.4, 0.7, 0.9, 1.0, 0.9, 0.7, 0.5]",
    "",
    "[sweep]",
    "# Latin hypercube sampling over the ranges below.",
    'design = "lhs"',
    "# Design points.",
    f"samples = {SAMPLES}",
    "",
    "[sweep.parameters]",
]
kept = 0
for key in screened:
    if key in SWITCHES or key not in params or key.startswith("shocks"):
        continue
    default, low, high = bounds(key)
    if default == 0 or low >= high:
        continue
    row = params[key]
    factors = f"{row['factors']}: " if row["factors"] else ""
    lines.append(f"# {factors}{row['meaning']}; {row['unit']}, default {row['default']}.")
    lines.append(f'"{key}" = {{ min = {low:.6g}, max = {high:.6g} }}')
    kept += 1
open("scenarios/robustness-lhs.toml", "w").write("\n".join(lines) + "\n")
print(f"scenarios/robustness-lhs.toml: {kept} parameters, {SAMPLES} points x {REPLICATES} replicates")
