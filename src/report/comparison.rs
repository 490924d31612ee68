//! Tables that read a figure against its counterfactual: each crisis outcome beside its no-shock
//! twin and its excess (run minus twin), and, for `commsim compare`, the paired differences of
//! differences.csv (B minus A on common random numbers) beside the two means.

use super::labels::outcome as outcome_label;
use super::page::{escape, number, table, Section};
use super::Run;
use crate::experiment::stats::summarize;

/// Points up to this many get a crisis table each; beyond it, the first point's.
const MAX_CRISIS_TABLES: usize = 4;

/// A mean with its 95% interval, "0.052 [0.05, 0.054]", or a dash.
fn with_interval(mean: f64, low: f64, high: f64) -> String {
    if low.is_finite() && high.is_finite() {
        format!("{} [{}, {}]", number(mean), number(low), number(high))
    } else {
        number(mean)
    }
}

/// The crisis outcomes beside their twins and excess, per design point; `None` when no run has
/// an excess (no shock, or `output.counterfactual = false`).
pub fn crisis(run: &Run) -> Option<Section> {
    let t = &run.runs.table;
    let pairs: Vec<(usize, usize)> = t
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(e, name)| {
            let base = name.strip_suffix("_excess")?;
            // The study's waves and sample have their twins in their own section (`waves`).
            if super::waves::is_wave_outcome(base) {
                return None;
            }
            let b = t.outcomes.iter().position(|n| n == base)?;
            Some((b, e))
        })
        .filter(|&(_, e)| t.values[e].iter().flatten().any(Option::is_some))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let points = run.runs.points();
    let shown = if points <= MAX_CRISIS_TABLES {
        points
    } else {
        1
    };
    let mut body = String::from(
        "<p class=\"note\">Each run is paired with its twin: the same run on the same random \
         streams with no shock, forked when the first shock starts. The twin column is what would \
         have happened anyway in the crisis window; the excess (run minus twin, per run) is what \
         the shock did. Intervals are 95% t-intervals over the runs.</p>\n",
    );
    if shown < points {
        body.push_str(&format!(
            "<p class=\"note\">Design point 0 of {points} (each point's figures are in summary.csv).</p>\n"
        ));
    }
    for p in 0..shown {
        if points > 1 {
            body.push_str(&format!("<h4>Design point {p}</h4>\n"));
        }
        let rows: Vec<Vec<String>> = pairs
            .iter()
            .map(|&(b, e)| {
                let raw = &t.values[b][p];
                let excess = &t.values[e][p];
                let twin: Vec<Option<f64>> = raw
                    .iter()
                    .zip(excess)
                    .map(|(r, x)| Some((*r)? - (*x)?))
                    .collect();
                let cell = |v: &[Option<f64>]| match summarize(v) {
                    Some(s) => with_interval(s.mean, s.ci95_low, s.ci95_high),
                    None => "–".into(),
                };
                vec![
                    format!("<code>{}</code>", escape(&t.outcomes[b])),
                    escape(outcome_label(&t.outcomes[b]).1),
                    cell(raw),
                    cell(&twin),
                    cell(excess),
                ]
            })
            .collect();
        body.push_str(&table(
            &[
                "outcome",
                "unit",
                "run",
                "no-shock twin",
                "excess (run − twin)",
            ],
            &rows,
        ));
    }
    Some(Section {
        id: "crisis-excess",
        title: "Crisis outcomes against the no-shock twin".into(),
        body,
    })
}

/// The paired differences of a comparison, from differences.csv.
pub fn differences(run: &Run, text: &str) -> Result<Section, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("differences.csv: {e}"))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("differences.csv has no column `{name}`"))
    };
    let [outcome, n, mean_a, mean_b, diff, low, high, half, independent, correlation] = [
        "outcome",
        "n",
        "mean_a",
        "mean_b",
        "difference",
        "ci95_low",
        "ci95_high",
        "ci95_half_width",
        "independent_ci95_half_width",
        "correlation",
    ]
    .map(col);
    let (outcome, n, mean_a, mean_b, diff) = (outcome?, n?, mean_a?, mean_b?, diff?);
    let (low, high, half, independent, correlation) =
        (low?, high?, half?, independent?, correlation?);
    let mut rows = Vec::new();
    let mut clear = 0;
    for record in reader.records() {
        let r = record.map_err(|e| format!("differences.csv: {e}"))?;
        let x = |i: usize| {
            r.get(i)
                .and_then(|c| c.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        if r.get(n) == Some("0") {
            continue;
        }
        let (lo, hi) = (x(low), x(high));
        let excludes_zero = lo > 0.0 || hi < 0.0;
        clear += usize::from(excludes_zero);
        let d = with_interval(x(diff), lo, hi);
        let name = r.get(outcome).unwrap_or("");
        rows.push(vec![
            format!("<code>{}</code>", escape(name)),
            number(x(mean_a)),
            number(x(mean_b)),
            if excludes_zero {
                format!("<strong>{d}</strong>")
            } else {
                d
            },
            number(x(half)),
            number(x(independent)),
            number(x(correlation)),
        ]);
    }
    let comparison = &run.manifest["comparison"];
    let b = comparison["b_scenario_name"].as_str().unwrap_or("B");
    let keys: Vec<String> = comparison["differing_keys"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|k| k.as_str())
                .map(|k| format!("<code>{}</code>", escape(k)))
                .collect()
        })
        .unwrap_or_default();
    let changed = if keys.is_empty() {
        "no parameter column (see the provenance for both scenarios)".to_string()
    } else {
        keys.join(", ")
    };
    let body = format!(
        "<p class=\"note\">B = <code>{}</code> minus A = <code>{}</code>, paired by replicate: \
         replicate r of both runs on one seed, so the difference of each pair holds the change's \
         effect with the noise both runs share taken out. B differs from A in {changed}. \
         {clear} of {} outcomes have a 95% interval that excludes 0 (in bold). The last columns \
         compare the interval's half-width with that of two independent samples of as many runs \
         (Welch), and give the correlation of A and B across replicates that makes the gain.</p>\n{}",
        escape(b),
        escape(run.scenario.name()),
        rows.len(),
        table(
            &[
                "outcome",
                "A mean",
                "B mean",
                "B − A [95% CI]",
                "half-width",
                "independent half-width",
                "correlation",
            ],
            &rows
        )
    );
    Ok(Section {
        id: "differences",
        title: "Paired differences: B minus A".into(),
        body,
    })
}
