//! `commsim patterns`: runs a scenario in memory and prints the pattern scorecard.

use super::{load, pool, set_whole, BadArgument, Format, ScenarioArgs};
use anyhow::Result;
use commsim::experiment::{run_all, Model};
use commsim::model::CommunityModel;
use commsim::patterns::{evaluate, Verdict};
use std::process::ExitCode;

pub fn run(
    args: &ScenarioArgs,
    format: Format,
    replicates: Option<u64>,
    threads: Option<usize>,
) -> Result<ExitCode> {
    let mut scenario = load(args)?;
    if let Some(n) = replicates {
        set_whole(&mut scenario, "--replicates", "run.replicates", n)?;
    }
    if let Some(sweep) = &scenario.sweep {
        return Err(BadArgument(format!(
            "{}: the scenario has a [sweep] (design {}); `patterns` scores one scenario; allowed: a scenario without [sweep] (for a sweep, `commsim run ... --report` scores every design point)",
            args.scenario.display(),
            sweep.design.name()
        ))
        .into());
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
    let plan = super::plan(args, scenario)?;
    let model = CommunityModel;
    let names = model.outcome_names();
    let mut rows: Vec<Vec<Option<f64>>> = Vec::new();
    pool(threads)?.install(|| {
        run_all(
            &model,
            1,
            |i| plan.config(i),
            plan.replicates,
            0,
            plan.seeding(),
            |_, out| -> Result<()> {
                rows.push(out.outcomes);
                Ok(())
            },
            |_| {},
        )
    })?;
    let get = |name: &str| -> Vec<Option<f64>> {
        let k = names
            .iter()
            .position(|n| n == name)
            .expect("pattern outcome exists");
        rows.iter().map(|r| r[k]).collect()
    };
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
