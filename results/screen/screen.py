#!/usr/bin/env python3
"""One-at-a-time screen of every parameter of commsim: does changing it move any outcome?

The project rule is "a parameter that moves nothing is a defect". For every numeric key of the
model (reals, whole numbers and flags; see EXCLUDED for the keys that only set the size or
resolution of the simulated world, or the bookkeeping of a run), this script

  1. writes a scenario B: the reference (scenarios/pandemic-2020.toml on a reduced region) with
     that one key changed to a value well inside its range (see changed_value),
  2. runs `commsim compare A.toml B.toml`, which pairs B's replicate r with A's replicate r on the
     same random numbers and writes differences.csv (B minus A per outcome), and
  3. counts the outcomes the change moves: those whose paired difference is beyond noise by a
     Bonferroni-corrected t test over all the outcomes of that key (see moved).

It writes results/screen/screen.csv (one row per key) and results/screen/README.md (the method and
the table, dead keys first). Everything rests on fixed seeds, so both files are reproducible byte
for byte. Progress goes to stderr.

Usage (from anywhere; paths are relative to the repository):
    cargo build --release
    python3 results/screen/screen.py                     # the whole screen, ~7 minutes on 2 cores
    python3 results/screen/screen.py --keys grants.budget,policy.training --out /tmp/s   # a few keys

Python 3.11+ (tomllib), standard library only.
"""

import argparse
import copy
import csv
import io
import math
import os
import shlex
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = "scenarios/pandemic-2020.toml"

# The reduced region of the command-line tests (tests/common/command.rs, `SMALL`): 3 villages,
# 1 small town of 2,000 and a city of 5,000 with 4 communities, 6 months of burn-in. A run takes
# a few milliseconds, so the screen can afford many replicates.
SMALL = [
    "region.villages=3",
    "region.small_towns=1",
    "territory.small_town.population=2000",
    "territory.large_city.population=5000",
    "territory.large_city.communities=4",
    "run.burn_in=6",
]

# Keys not screened, by pattern, and why. A pattern ending in "*" matches every key it begins.
EXCLUDED = [
    ("name", "text: names the output folder"),
    ("run.*", "bookkeeping of the experiment (horizon, burn-in, replicates, seed), not a mechanism"),
    ("output.*", "what is written (which files and columns, compression, monthly series, the no-shock twin), not what is simulated"),
    ("observe.*", "the study's observation windows and sample: what is measured, not what is simulated (every other outcome is bit for bit the same, tests/waves.rs)"),
    ("region.*", "counts of territories: the size of the simulated world"),
    ("territory.*.population", "inhabitants of a territory: the size of the simulated world"),
    ("territory.*.agent_scale", "inhabitants per agent: the resolution of the simulation"),
    ("sweep.*", "the design of a sweep; compare refuses a scenario with a [sweep]"),
    ("shocks.N.kind", "a category (pandemic, economic or disaster), not a number"),
    ("shocks.N.profile", "a list of monthly intensities, not one number"),
]

# Groups of shares that must sum to 1: changing one rescales the others in proportion.
SUM_GROUPS = [
    [f"community.type_mix.{t}" for t in ("civic", "ngo", "cultural", "entrepreneurial", "municipal")],
    [f"grants.{p}.share" for p in ("federal", "regional", "foundation")],
]

# A policy lever is an intensity >= 0 whose default 0 means off; the shipped lever scenarios
# (scenarios/lever-*.toml) switch one on at intensity 1.
LEVER_ON = 1.0

ALPHA = 0.05  # family-wise error rate per key
# A difference smaller than this share of the larger mean is floating-point rounding (sums
# accumulated in another order), not an effect: such an outcome is never counted as moved.
ROUNDING = 1e-9


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Student t quantile, standard library only (regularised incomplete beta, Numerical Recipes 6.4).

def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a, b, x):
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(ln_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln_front) * _betacf(b, a, 1.0 - x) / b


def t_upper_tail(t, df):
    """P(T > t) for Student's t with df degrees of freedom, t >= 0."""
    return 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))


def t_quantile_upper(p, df):
    """The t with P(T > t) = p (0 < p < 0.5), by bisection on the upper tail."""
    lo, hi = 0.0, 1.0
    while t_upper_tail(hi, df) > p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_upper_tail(mid, df) > p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# ---------------------------------------------------------------------------------------------
# Scenario files: read with tomllib, changed as dicts, written back with a small TOML writer.

def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"cannot write {v} to a scenario")
        return repr(v)  # shortest text that reads back as the same double; valid TOML
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to a scenario")


def write_toml(data):
    """A scenario dict as TOML: scalars first, then tables, then arrays of tables."""
    out = []

    def table(prefix, d):
        scalars = {k: v for k, v in d.items()
                   if not isinstance(v, dict)
                   and not (isinstance(v, list) and v and isinstance(v[0], dict))}
        if prefix and scalars:
            out.append(f"\n[{prefix}]")
        for k, v in scalars.items():
            out.append(f"{k} = {toml_value(v)}")
        for k, v in d.items():
            if isinstance(v, dict):
                table(f"{prefix}.{k}" if prefix else k, v)
        for k, v in d.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                for item in v:
                    out.append(f"\n[[{prefix + '.' if prefix else ''}{k}]]")
                    for ik, iv in item.items():
                        out.append(f"{ik} = {toml_value(iv)}")

    table("", data)
    return "\n".join(out) + "\n"


def path_of(key):
    """A registry key as a path into the scenario dict: shocks.N.field -> shocks, 0, field."""
    parts = key.split(".")
    if parts[0] == "shocks":
        return ["shocks", int(parts[1])] + parts[2:]
    return parts


def get(data, key):
    for p in path_of(key):
        data = data[p]
    return data


def put(data, key, value):
    path = path_of(key)
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


# ---------------------------------------------------------------------------------------------
# The keys to screen and the value each is changed to.

def excluded_reason(key):
    for pattern, reason in EXCLUDED:
        if pattern == key:
            return reason
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            return reason
        if "*" in pattern[:-1]:  # territory.*.population
            head, tail = pattern.split("*", 1)
            if key.startswith(head) and key.endswith(tail):
                return reason
    return None


def parse_range(text, reference):
    """[lo, hi] of a registry range; hi may be written as `run.months - 1`."""
    lo, hi = (s.strip() for s in text.strip("[]").split(","))

    def number(s):
        if s == "run.months - 1":
            return reference["run"]["months"] - 1
        return float(s)

    return number(lo), number(hi)


def changed_value(key, default, lo, hi, whole):
    """The value B takes, and the rule that gave it.

    Off-by-default levers (default 0) are switched on at 1. Any other key moves halfway from its
    default towards the far end of its range, but up by at most a factor 2: halfway to the top of
    [0, 1000] from 0.45 would be 500, a different world rather than a what-if.
    """
    if default == 0:
        value, rule = (LEVER_ON if key.startswith("policy.") else min(1.0, hi)), "off -> on"
    elif hi - default >= default - lo:
        halfway = (default + hi) / 2
        value, rule = (halfway, "halfway up") if halfway <= 2 * default else (2 * default, "x2")
    else:
        value, rule = (default + lo) / 2, "halfway down"
    if whole:
        value = round(value)
        if value == default:  # a small whole number: one step towards the far end
            value = default + (1 if hi - default >= default - lo else -1)
        return int(value), rule
    return float(value), rule


def screen_plan(registry, reference):
    """[(key, factors, default, value, rule, extra changes)], and [(excluded key, reason)]."""
    plan, excluded, seen = [], [], set()
    for row in registry:
        key, kind = row["key"], row["range"]
        reason = excluded_reason(key)
        if reason is not None:
            excluded.append((key, reason))
            continue
        if key.startswith("shocks.N."):
            # The reference's own shock (shocks.0): its start, length and severity.
            key = "shocks.0." + key[len("shocks.N."):]
        if key in seen:
            continue
        seen.add(key)
        default = get(reference, key)
        if kind == "true|false":
            plan.append((key, row["factors"], default, not default, "toggled", []))
            continue
        if not kind.startswith("["):
            excluded.append((key, f"not a number ({kind})"))
            continue
        lo, hi = parse_range(kind, reference)
        whole = isinstance(default, int) and not isinstance(default, bool)
        value, rule = changed_value(key, default, lo, hi, whole)
        extra = []
        for group in SUM_GROUPS:
            if key in group:
                # The others make up the rest, each keeping its share of it.
                scale = (1.0 - value) / (1.0 - default)
                extra = [(k, get(reference, k) * scale) for k in group if k != key]
                rule += ", others rescaled to sum to 1"
        plan.append((key, row["factors"], default, value, rule, extra))
    return plan, excluded


# ---------------------------------------------------------------------------------------------
# Running commsim and reading differences.csv.

def run(args, what):
    """Runs commsim; returns stdout, or raises RuntimeError with its stderr."""
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{what} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def moved(differences_csv):
    """Per outcome of differences.csv: (outcome, difference, mean_a, z, moved), and tests made.

    z = |difference| / (sd / sqrt(n)) is the paired t statistic; an outcome is moved when z
    exceeds the t quantile at 1 - ALPHA / (2 m), m the number of outcomes tested for this key
    (Bonferroni: the chance that a change which moves nothing moves any outcome is at most ALPHA).
    An outcome is tested when at least 2 replicates define it in both runs.
    """
    rows = []
    for r in csv.DictReader(open(differences_csv, newline="")):
        if r["n"] == "" or int(r["n"]) < 2 or r["difference"] == "" or r["sd"] == "":
            continue
        n, diff, sd = int(r["n"]), float(r["difference"]), float(r["sd"])
        mean_a, mean_b = float(r["mean_a"]), float(r["mean_b"])
        if abs(diff) <= ROUNDING * max(abs(mean_a), abs(mean_b)):
            diff = 0.0  # rounding, not an effect
        if diff == 0.0:
            z = 0.0
        elif sd == 0.0:
            z = math.inf  # every replicate moved by exactly the same amount
        else:
            z = abs(diff) / (sd / math.sqrt(n))
        rows.append((r["outcome"], diff, mean_a, z, n))
    m = len(rows)
    out = []
    for outcome, diff, mean_a, z, n in rows:
        critical = t_quantile_upper(ALPHA / (2 * m), n - 1)
        out.append((outcome, diff, mean_a, z, z > critical))
    return out


def fmt(x):
    """Numbers as the tables print them: 4 significant digits, integers plain."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if math.isinf(x):
        return "inf"
    return f"{x:.4g}"


# ---------------------------------------------------------------------------------------------
# The two stages: every key on the reduced region, then the keys dead there on the full region.

def resolve(a, sets):
    """The reference as `commsim check` resolves it (every key written) with these --set."""
    args = [a.bin, "check", REFERENCE]
    for s in sets:
        args += ["--set", s]
    return tomllib.loads(run(args, "check of the reference"))


def stage(a, name, plan, reference, replicates, work):
    """Compares B (one key changed) against A for every key of the plan; one row per key."""
    os.makedirs(work, exist_ok=True)
    a_path = os.path.join(work, "A.toml")
    with open(a_path, "w") as f:
        f.write(write_toml(reference))
    rows = {}
    for i, (key, factors, default, value, rule, extra) in enumerate(plan, 1):
        t0 = time.monotonic()
        b = copy.deepcopy(reference)
        put(b, key, value)
        for k, v in extra:
            put(b, k, v)
        b_path = os.path.join(work, f"B-{key}.toml")
        with open(b_path, "w") as f:
            f.write(write_toml(b))
        out_dir = os.path.join(work, f"compare-{key}")
        row = dict(key=key, factors=factors, region=name, replicates=replicates,
                   reference=default, value=value, rule=rule, moved="", tested="", error="")
        try:
            run([a.bin, "compare", a_path, b_path, "--out", out_dir, "--threads", str(a.threads),
                 "--quiet", "--force"], f"compare for {key}")
            outcomes = moved(os.path.join(out_dir, "differences.csv"))
            hits = sum(1 for o in outcomes if o[4])
            row.update(status="moves" if hits else "dead", moved=hits, tested=len(outcomes))
            # The outcome of largest standardized difference (the first in file order on a tie).
            top = max(outcomes, key=lambda o: o[3]) if outcomes else None
            if top is not None and top[3] > 0:
                row.update(top_outcome=top[0], top_z=top[3], top_difference=top[1],
                           top_mean_a=top[2])
            note = f"moves {hits}/{len(outcomes)}" if hits else "DEAD"
        except (RuntimeError, OSError, ValueError) as e:
            row.update(status="error", error=str(e))
            note = "ERROR"
            log(f"screen.py: {key}: {e}")
        rows[key] = row
        log(f"[{name} {i}/{len(plan)}] {key} = {fmt(value)}: {note} "
            f"({time.monotonic() - t0:.1f} s)")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "commsim"))
    ap.add_argument("--replicates", type=int, default=100,
                    help="replicates of each compare on the reduced region (default 100)")
    ap.add_argument("--confirm-replicates", type=int, default=200,
                    help="replicates of each compare on the full region, for the keys dead on "
                         "the reduced one (default 200; 0: no second stage)")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="change the reference (both A and B) in both stages, like compare's --set")
    ap.add_argument("--threads", type=int, default=2, help="threads of each compare")
    ap.add_argument("--keys", help="comma-separated keys to screen (default: all)")
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "screen"),
                    help="folder for screen.csv and README.md (default results/screen)")
    ap.add_argument("--keep", help="keep the scenarios and compare outputs in this folder")
    a = ap.parse_args()
    started = time.monotonic()

    registry = list(csv.DictReader(io.StringIO(run([a.bin, "params", "--format", "csv"], "params"))))
    common = [f"run.seed={a.seed}"] + a.set
    small = resolve(a, [f"run.replicates={a.replicates}"] + SMALL + common)
    plan, excluded = screen_plan(registry, small)
    if a.keys:
        wanted = a.keys.split(",")
        unknown = [k for k in wanted if k not in {p[0] for p in plan}]
        if unknown:
            sys.exit(f"screen.py: keys not screened: {', '.join(unknown)}")
        plan = [p for p in plan if p[0] in wanted]

    owner = None if a.keep else tempfile.TemporaryDirectory(prefix="commsim-screen-")
    work = a.keep or owner.name
    first = stage(a, "small", plan, small, a.replicates, os.path.join(work, "small"))
    second = {}
    dead = [key for key, r in first.items() if r["status"] == "dead"]
    if a.confirm_replicates > 0 and dead:
        # The keys dead on the reduced region, again on the reference's own region: more
        # territories and communities give a small effect more chances to show.
        full = resolve(a, [f"run.replicates={a.confirm_replicates}"] + common)
        full_plan = [p for p in screen_plan(registry, full)[0] if p[0] in dead]
        second = stage(a, "full", full_plan, full, a.confirm_replicates,
                       os.path.join(work, "full"))
    if owner:
        owner.cleanup()

    write_outputs(a, plan, first, second, excluded)
    final = {key: final_status(first[key], second.get(key)) for key in first}
    log(f"screen.py: {len(first)} keys in {time.monotonic() - started:.0f} s; dead: "
        f"{', '.join(k for k, s in final.items() if s == 'dead') or 'none'}; errors: "
        f"{', '.join(k for k, s in final.items() if s == 'error') or 'none'}")


def final_status(first, second):
    """dead: no outcome moved in either stage; weak: dead on the reduced region only."""
    if second is None or first["status"] != "dead":
        return first["status"]
    return {"dead": "dead", "moves": "weak", "error": "error"}[second["status"]]


# WALL_TIME is measured by hand (it varies from run to run, and the outputs must not).
WALL_TIME = ("about 18 minutes on the project's 2-core machine while a build shared it (1052 s "
             "for 152 keys: 430 s on the reduced region, 620 s for the full-region compares of "
             "the 7 keys weak there, 40 to 120 s each; 728 s in the run before on a quieter "
             "machine)")

COLUMNS = ["key", "factors", "region", "replicates", "status", "reference", "value", "rule",
           "moved", "tested", "top_outcome", "top_z", "top_difference", "top_mean_a", "error"]


def cell(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return fmt(v)
    return v


def write_outputs(a, plan, first, second, excluded):
    os.makedirs(a.out, exist_ok=True)
    # screen.csv: one row per key and stage, in registry order; status is that stage's.
    with open(os.path.join(a.out, "screen.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for key, *_ in plan:
            for r in (first[key], second.get(key)):
                if r is not None:
                    w.writerow([cell(r.get(c, "")) for c in COLUMNS])

    final = {key: final_status(first[key], second.get(key)) for key in first}
    order = {"dead": 0, "error": 1, "weak": 2, "moves": 3}
    # Dead keys first, then errors, then the weak ones, then the others from the fewest outcomes
    # moved up (the nearest to dead first); registry order on a tie (sorted is stable).
    ranked = sorted(first.values(), key=lambda r: (order[final[r["key"]]],
                                                   r["moved"] if r["moved"] != "" else 0))
    names = lambda keys: ", ".join(f"`{k}`" for k in keys) or "none"
    by_status = {s: [k for k, v in final.items() if v == s] for s in order}
    # The number of outcomes tested per key, and the bound z must pass at each stage's n.
    counts = sorted({r["tested"] for r in first.values() if r["tested"] != ""})
    tested = " to ".join(str(c) for c in counts[::max(1, len(counts) - 1)]) or "none"
    m = counts[-1] if counts else 0
    bound = ", ".join(f"{t_quantile_upper(ALPHA / (2 * m), n - 1):.2f} at {n} replicates"
                      for n in sorted({a.replicates, a.confirm_replicates}) if n > 1) if m else "-"
    cmd = shlex.join(["python3", "results/screen/screen.py"] + sys.argv[1:])
    confirm = (f"Then the keys dead there again on the reference's own region (10 villages, 4 small "
               f"towns, a city of 100,000; 24 months of burn-in), {a.confirm_replicates} replicates, "
               "where more territories and communities give a small effect more chances to show."
               if a.confirm_replicates > 0 else "No second stage (`--confirm-replicates 0`).")
    changed = f" The reference is changed by {names(a.set)} in both stages." if a.set else ""
    paragraphs = [
        "# One-at-a-time screen of every parameter",
        f"Regenerate (after `cargo build --release`): `{cmd}`",
        f"Wall time: {WALL_TIME}; the script prints its own on stderr, with its progress. This file "
        "and `screen.csv` are written by `screen.py`: edit the script, not them.",
        "The project rule: a parameter that moves nothing is a defect. This screen changes one key "
        "at a time and asks whether any outcome moves beyond noise. For every screened key, B is "
        "the reference `scenarios/pandemic-2020.toml` with that one key changed, and `commsim "
        "compare A.toml B.toml` runs B against the reference on common random numbers (replicate "
        "r of both on one seed) and writes `differences.csv`, B minus A per outcome.",
        "**Two stages.** First every key on the reduced region of the command-line tests (`SMALL` "
        f"in `tests/common/command.rs`: {', '.join('`' + s + '`' for s in SMALL)}), "
        f"{a.replicates} replicates, seed {a.seed}: a compare takes about a second. {confirm} "
        "Both scenario files of a compare are the reference as `commsim check` resolves it, every "
        "key written, so the reduced region is part of both files and no `--set` can override B's "
        f"change.{changed}",
        "**The change.** A flag is toggled. A policy lever (default 0, off) is switched on at "
        f"intensity {LEVER_ON:g}, as the shipped `scenarios/lever-*.toml` do. Any other key moves "
        "halfway from its reference value towards the far end of its range (`commsim params`), "
        "upward by at most a factor 2 (halfway to the top of [0, 1000] from 0.45 would be another "
        "world). Whole numbers are rounded. A share that must sum to 1 with others "
        "(`community.type_mix.*`, `grants.<level>.share`) is changed by the same rule and the "
        "others are rescaled in proportion, so the sum stays 1. The shock's keys are those of the "
        "reference's own shock (`shocks.0.*`). `reference` is the value in A (on the reduced "
        "region, `territory.large_city.communities` is 4), `value` the one in B.",
        "**Moved.** For each outcome of `differences.csv` defined in at least 2 replicates, z = "
        "|difference| / (sd / sqrt(n)) is the paired t statistic. With m such outcomes for a key "
        f"({tested} on this model), an outcome is moved when z exceeds the t quantile at "
        f"1 - {ALPHA:g} / (2 m) with n - 1 degrees of freedom (Bonferroni: a change that moves "
        f"nothing is called alive with probability at most {ALPHA:g}; with m = {m} the bound is "
        f"z > {bound}). A difference below {ROUNDING:g} of the larger mean is floating-point "
        "rounding and counts as zero; a nonzero difference with sd 0 (the same shift in every "
        "replicate) is moved (z = inf).",
        "**Status.** `dead`: no outcome moved in either stage. `weak`: dead on the reduced region, "
        "moving on the full one. `moves`: moved on the reduced region. `error`: a compare failed "
        "(its message is in `screen.csv` and below). A dead key is a defect, an effect too small "
        "for these replicates, or an effect on something no outcome measures (MODEL.md, section "
        "8); to look closer at one key, rerun it alone with more replicates: `python3 "
        "results/screen/screen.py --keys K --replicates 400 --confirm-replicates 800 --out /tmp/k`.",
        "`screen.csv` has a row per key and stage (`region` small or full) with that stage's "
        "status; its columns are those of the tables below: `moved` and `tested` outcomes, and "
        "`top_*` the outcome of largest z, its z, its difference (B minus A) and its reference "
        "mean (A).",
        "## Excluded keys (not screened)",
    ]
    lines = []
    for p in paragraphs:
        if p.startswith("Regenerate"):  # the command on one line, to copy
            lines += [p, ""]
        else:
            lines += textwrap.wrap(p, 100, break_long_words=False, break_on_hyphens=False) + [""]
    lines += ["| key | why |", "| --- | --- |"]
    lines += [f"| `{key}` | {reason} |" for key, reason in excluded]
    lines += [
        "",
        f"## Results: {len(first)} keys; {len(by_status['dead'])} dead, "
        f"{len(by_status['weak'])} weak, {len(by_status['error'])} "
        f"error{'' if len(by_status['error']) == 1 else 's'}",
        "",
    ]
    for label, status in (("Dead", "dead"), ("Weak (dead on the reduced region only)", "weak"),
                          ("Errors", "error")):
        lines += textwrap.wrap(f"{label}: {names(by_status[status])}.", 100,
                               break_long_words=False, break_on_hyphens=False) + [""]
    head = ("| key | factors | status | reference | value | rule | moved | top outcome | z "
            "| difference | reference mean |")
    align = "| --- | --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: |"

    def table_row(r, status):
        moved_text = f"{r['moved']}/{r['tested']}" if r["status"] != "error" else ""
        top = ([f"`{r['top_outcome']}`", fmt(r["top_z"]), fmt(r["top_difference"]),
                fmt(r["top_mean_a"])] if "top_outcome" in r else ["", "", "", ""])
        return "| " + " | ".join([f"`{r['key']}`", r["factors"], status, cell(r["reference"]),
                                 cell(r["value"]), r["rule"], moved_text] + top) + " |"

    if second:
        lines += [f"### Full region, {a.confirm_replicates} replicates: the keys dead on the "
                  "reduced region", "", head, align]
        lines += [table_row(second[k], second[k]["status"])
                  for k in sorted(second, key=lambda k: order[final[k]])]
        lines += [""]
    lines += [f"### Reduced region, {a.replicates} replicates: every key (status: final)", "",
              head, align]
    lines += [table_row(r, final[r["key"]]) for r in ranked]
    errors = [r for r in list(first.values()) + list(second.values()) if r["status"] == "error"]
    if errors:
        lines += ["", "Errors:", ""]
        lines += [f"- `{r['key']}` ({r['region']} region): {' '.join(r['error'].split())}"
                  for r in errors]
    with open(os.path.join(a.out, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    try:
        main()
    except FileNotFoundError as e:
        sys.exit(f"screen.py: {e.filename}: not found (build commsim with `cargo build --release`, "
                 "or give --bin)")
    except RuntimeError as e:  # params or check of the reference failed: nothing to screen
        sys.exit(f"screen.py: {e}")
