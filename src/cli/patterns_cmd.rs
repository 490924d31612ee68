//! `commsim patterns`: runs a scenario in memory and prints the pattern scorecard.

use super::{load, pool, set_whole, BadArgument, Format, ScenarioArgs};
use anyhow::Result;
use commsim::experiment::{run_all, Model};
use commsim::model::CommunityModel;
use commsim::patterns::{evaluate, PatternResult, Verdict};
use commsim::plan::Plan;
use std::path::PathBuf;
use std::process::ExitCode;

/// Where `patterns` takes its design points: the scenario's (one, or its sweep's), draws from
/// a finished calibration's posterior, or draws from the scenario's `[calibrate]` priors.
pub enum Points {
    Scenario,
    Posterior { dir: PathBuf, draws: Option<u64> },
    Prior { draws: u64 },
}

pub fn run(
    args: &ScenarioArgs,
    points: Points,
    format: Format,
    replicates: Option<u64>,
    threads: Option<usize>,
) -> Result<ExitCode> {
    let mut scenario = load(args)?;
    if let Some(n) = replicates {
        set_whole(&mut scenario, "--replicates", "run.replicates", n)?;
    }
    if scenario.shocks.is_empty() {
        return Err(BadArgument(format!(
            "{}: the scenario has no [[shocks]]; the patterns are about a crisis",
            args.scenario.display()
        ))
        .into());
    }
    if !commsim::patterns::is_reference(&scenario) {
        eprintln!(
            "note: this is not the reference scenario (pandemic-2020): the verdicts describe the model under this scenario's changes; they are not a calibration check, and a pattern that holds does not validate the what-if"
        );
    }
    let what = match points {
        Points::Scenario => "design points",
        Points::Posterior { .. } => "posterior draws",
        Points::Prior { .. } => "prior draws",
    };
    let drawn = !matches!(points, Points::Scenario);
    let plan = match points {
        Points::Scenario => super::plan(args, scenario)?,
        Points::Posterior { dir, draws } => super::posterior::plan_at_draws(&dir, draws, scenario)?,
        Points::Prior { draws } => super::posterior::plan_at_prior(draws, scenario)?,
    };
    let model = CommunityModel;
    let names = model.outcome_names();
    let n_points = plan.points.len();
    let mut rows: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); n_points];
    pool(threads)?.install(|| {
        run_all(
            &model,
            n_points,
            |i| plan.config(i),
            plan.replicates,
            0,
            plan.seeding(),
            |id, out| -> Result<()> {
                rows[id.point].push(out.outcomes);
                Ok(())
            },
            |_| {},
        )
    })?;
    let column = |point: usize, name: &str| -> Vec<Option<f64>> {
        let k = names
            .iter()
            .position(|n| n == name)
            .expect("pattern outcome exists");
        rows[point].iter().map(|r| r[k]).collect()
    };
    if plan.scenario.sweep.is_some() || drawn {
        let results: Vec<Vec<PatternResult>> = (0..n_points)
            .map(|p| evaluate(&|name| column(p, name)))
            .collect();
        super::emit(&by_point(args, &plan, &results, format, what))?;
        let all = results
            .iter()
            .all(|r| r.iter().all(|p| p.verdict == Verdict::Holds));
        return Ok(if all {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let get = |name: &str| column(0, name);
    let results = evaluate(&get);
    let mut out = String::new();
    if format == Format::Csv {
        out.push_str("pattern,statement,claim,n,mean,ci95_low,ci95_high,allowed_low,allowed_high,claim_verdict,pattern_verdict\n");
        for p in &results {
            for c in &p.claims {
                out.push_str(&format!(
                    "{},\"{}\",\"{}\",{},{},{},{},{},{},{},{}\n",
                    p.number,
                    p.statement,
                    c.label,
                    c.n,
                    number(c.mean),
                    number(c.ci95_low),
                    number(c.ci95_high),
                    number(c.low),
                    number(c.high),
                    c.verdict.name(),
                    p.verdict.name()
                ));
            }
        }
    } else if format == Format::Markdown {
        out.push_str(&format!(
            "Pattern scorecard: `{}` ({})\n\n| # | pattern | claim | runs | mean | 95% CI | allowed | claim verdict | pattern verdict |\n| --- | --- | --- | ---: | ---: | --- | --- | --- | --- |\n",
            args.scenario.display(),
            super::plural(plan.replicates, "replicate", "replicates")
        ));
        for p in &results {
            for (i, c) in p.claims.iter().enumerate() {
                let (number, statement, verdict) = if i == 0 {
                    (
                        p.number.to_string(),
                        p.statement.to_string(),
                        p.verdict.name(),
                    )
                } else {
                    (String::new(), String::new(), "")
                };
                let allowed = if c.high.is_infinite() {
                    format!("> {}", c.low)
                } else {
                    format!("({}, {}]", c.low, c.high)
                };
                out.push_str(&format!(
                    "| {number} | {statement} | `{}` | {} | {} | [{}, {}] | {allowed} | {} | {verdict} |\n",
                    c.label,
                    c.n,
                    four(c.mean),
                    four(c.ci95_low),
                    four(c.ci95_high),
                    c.verdict.name()
                ));
            }
        }
    } else {
        out.push_str(&format!(
            "pattern scorecard: {} ({})\n",
            args.scenario.display(),
            super::plural(plan.replicates, "replicate", "replicates")
        ));
        let width = results
            .iter()
            .flat_map(|p| p.claims.iter().map(|c| c.label.len()))
            .max()
            .unwrap_or(0);
        for p in &results {
            out.push_str(&format!(
                "\n{}. {}: {}\n",
                p.number,
                p.statement,
                p.verdict.name().to_uppercase()
            ));
            for c in &p.claims {
                out.push_str(&format!(
                    "   {:<width$} {:>9.4}  [{:.4}, {:.4}]  {}\n",
                    c.label,
                    c.mean,
                    c.ci95_low,
                    c.ci95_high,
                    c.verdict.name()
                ));
            }
        }
    }
    super::emit(&out)?;
    let all = results.iter().all(|p| p.verdict == Verdict::Holds);
    Ok(if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The verdicts of a sweep, one row per design point (its swept values, then each pattern's
/// verdict), and for each pattern the share of points where it holds: how robust the patterns
/// are over the design (MODEL.md, "Emergence").
fn by_point(
    args: &ScenarioArgs,
    plan: &Plan,
    results: &[Vec<PatternResult>],
    format: Format,
    what: &str,
) -> String {
    let n = results.len();
    let patterns = results.first().map_or(0, |r| r.len());
    let holds = |k: usize| {
        results
            .iter()
            .filter(|r| r[k].verdict == Verdict::Holds)
            .count()
    };
    let mut out = String::new();
    match format {
        Format::Csv => {
            out.push_str("point");
            for key in &plan.swept_keys {
                out.push_str(&format!(",{key}"));
            }
            for k in 0..patterns {
                out.push_str(&format!(",pattern_{}", k + 1));
            }
            out.push('\n');
            for (p, r) in results.iter().enumerate() {
                out.push_str(&p.to_string());
                for v in &plan.points[p] {
                    out.push_str(&format!(",{}", commsim::output::value_cell(v)));
                }
                for pattern in r {
                    out.push_str(&format!(",{}", pattern.verdict.name()));
                }
                out.push('\n');
            }
        }
        Format::Markdown | Format::Table => {
            let md = format == Format::Markdown;
            out.push_str(&format!(
                "{}pattern verdicts over the {} {what} of {} ({} each)\n\n",
                if md { "" } else { "# " },
                n,
                args.scenario.display(),
                super::plural(plan.replicates, "replicate", "replicates")
            ));
            if md {
                out.push_str("| pattern | holds | cannot tell | fails | share holding |\n| --- | ---: | ---: | ---: | ---: |\n");
            }
            for k in 0..patterns {
                let h = holds(k);
                let f = results
                    .iter()
                    .filter(|r| r[k].verdict == Verdict::Fails)
                    .count();
                let share = h as f64 / n.max(1) as f64;
                let statement = results[0][k].statement;
                if md {
                    out.push_str(&format!(
                        "| {}. {statement} | {h} | {} | {f} | {share:.2} |\n",
                        k + 1,
                        n - h - f
                    ));
                } else {
                    out.push_str(&format!(
                        "{}. holds at {h} of {n} points ({share:.2}), fails at {f}: {statement}\n",
                        k + 1
                    ));
                }
            }
            let every = results
                .iter()
                .filter(|r| r.iter().all(|p| p.verdict == Verdict::Holds))
                .count();
            out.push_str(&format!(
                "{}all {patterns} hold together at {every} of {n} points ({:.2})\n",
                if md { "\n" } else { "" },
                every as f64 / n.max(1) as f64
            ));
        }
    }
    out
}

/// A CSV cell: the shortest round-trip decimal, empty where undefined (NaN), as in runs.csv.
fn number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

/// Four decimals, or a dash where undefined.
fn four(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else {
        format!("{x:.4}")
    }
}
