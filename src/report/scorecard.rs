//! The pattern scorecard of a scenario with a shock (`patterns::evaluate` on the run's own
//! replicates): every claim with its 95% interval for one point, a verdict per pattern and point
//! for a sweep.

use super::page::{escape, number, table, Section};
use super::Run;
use crate::patterns::{evaluate, is_reference, PatternResult, Verdict};

/// Points up to this many get a row of verdicts each.
const MAX_LISTED: usize = 1000;

fn class(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::Fails => "fails",
        Verdict::CannotTell => "cannot",
    }
}

fn verdict_cell(v: Verdict) -> String {
    format!("<span class=\"{}\">{}</span>", class(v), v.name())
}

/// The outcomes the patterns read, in the order they ask for them.
pub fn pattern_outcomes() -> Vec<String> {
    let asked = std::cell::RefCell::new(Vec::<String>::new());
    evaluate(&|name| {
        let mut asked = asked.borrow_mut();
        if !asked.iter().any(|n| n == name) {
            asked.push(name.to_string());
        }
        Vec::new()
    });
    asked.into_inner()
}

pub fn section(run: &Run) -> Section {
    let missing: Vec<String> = pattern_outcomes()
        .into_iter()
        .filter(|name| !run.runs.table.outcomes.contains(name))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|n| format!("<code>{}</code>", escape(n)))
            .collect();
        return Section {
            id: "patterns",
            title: "Pattern scorecard: not scored".into(),
            body: format!(
                "<div class=\"warning\"><p>The six patterns are not scored: this run chose its \
                 outcomes (<code>output.outcomes</code>) and its runs.csv lacks {} of the \
                 outcomes they read: {}. Run again with these outcomes among those chosen, or \
                 score the scenario with <code>commsim patterns</code>, which keeps every \
                 outcome.</p></div>\n",
                missing.len(),
                names.join(", ")
            ),
        };
    }
    let results: Vec<Vec<PatternResult>> = (0..run.runs.points())
        .map(|p| evaluate(&|name| run.runs.column(name, p)))
        .collect();
    let reference = is_reference(&run.scenario);
    let what = if reference {
        "<p>This run is the reference scenario (the shipped crisis scenario \
         <code>pandemic-2020</code>, whatever its name, replicates, seed or output options): the patterns below are \
         the calibration check of the model against the report.</p>\n"
    } else {
        "<div class=\"warning\"><p><strong>Not a validation.</strong> These are the six patterns \
         the default calibration is built to reproduce; only on the reference scenario \
         (<code>pandemic-2020</code>) are they a check of the model against the report. This run \
         changes the reference, so the verdicts describe what the model does under the change: a \
         pattern that fails here is a finding of the what-if (the change breaks it), and one that \
         holds does not validate the counterfactual.</p></div>\n"
    };
    let mut body = format!(
        "{what}<p class=\"note\">The six patterns (MODEL.md, section 1), each an ordinal claim \
         over this run's replicates: a claim holds when its 95% confidence interval lies wholly \
         inside the allowed range, fails when it lies wholly outside, and otherwise cannot tell. \
         Few replicates give wide intervals: <code>commsim patterns</code> runs 200 by default.</p>\n",
    );
    if results.len() == 1 {
        let mut rows = Vec::new();
        for pattern in &results[0] {
            for (i, c) in pattern.claims.iter().enumerate() {
                let first = i == 0;
                rows.push(vec![
                    if first {
                        pattern.number.to_string()
                    } else {
                        String::new()
                    },
                    if first {
                        escape(pattern.statement)
                    } else {
                        String::new()
                    },
                    format!("<code>{}</code>", escape(&c.label)),
                    c.n.to_string(),
                    number(c.mean),
                    format!("[{}, {}]", number(c.ci95_low), number(c.ci95_high)),
                    if c.high.is_infinite() {
                        format!("&gt; {}", number(c.low))
                    } else {
                        format!("({}, {}]", number(c.low), number(c.high))
                    },
                    verdict_cell(c.verdict),
                    if first {
                        verdict_cell(pattern.verdict)
                    } else {
                        String::new()
                    },
                ]);
            }
        }
        body.push_str(&table(
            &[
                "#",
                "pattern",
                "claim",
                "runs",
                "mean",
                "95% CI",
                "allowed",
                "claim verdict",
                "pattern verdict",
            ],
            &rows,
        ));
    } else {
        let rows: Vec<Vec<String>> = results
            .iter()
            .take(MAX_LISTED)
            .enumerate()
            .map(|(p, patterns)| {
                let mut row = vec![p.to_string()];
                row.extend(patterns.iter().map(|r| verdict_cell(r.verdict)));
                row
            })
            .collect();
        let count = |i: usize, v: Verdict| results.iter().filter(|r| r[i].verdict == v).count();
        let counts: Vec<Vec<String>> = results[0]
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    r.number.to_string(),
                    escape(r.statement),
                    count(i, Verdict::Holds).to_string(),
                    count(i, Verdict::CannotTell).to_string(),
                    count(i, Verdict::Fails).to_string(),
                ]
            })
            .collect();
        body.push_str(&format!(
            "<p>Design points at which each pattern holds, cannot tell or fails ({} points):</p>\n",
            results.len()
        ));
        body.push_str(&table(
            &["#", "pattern", "holds", "cannot tell", "fails"],
            &counts,
        ));
        let header = ["point", "1", "2", "3", "4", "5", "6"];
        let listed = if results.len() > MAX_LISTED {
            format!("the first {MAX_LISTED} design points")
        } else {
            "every design point".into()
        };
        body.push_str(&format!(
            "<details>\n<summary>Verdicts at {listed}</summary>\n{}</details>\n",
            table(&header, &rows)
        ));
    }
    Section {
        id: "patterns",
        title: if reference {
            "Pattern scorecard: the calibration check".into()
        } else {
            "Pattern scorecard under this scenario (not a validation)".into()
        },
        body,
    }
}
