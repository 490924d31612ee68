//! The first section: what was run and how. The manifest's provenance, the shocks, the swept
//! parameters with their units and meaning, the design points, and the resolved scenario.

use super::page::{escape, number, plural, table, Section};
use super::{labels, Run};
use crate::output::value_cell;
use crate::params::{index_of, registry};
use crate::scenario::{shock_field_doc, SweepValues};

/// Design points up to this many are listed in a table.
const MAX_LISTED_POINTS: usize = 64;

pub fn section(run: &Run, folder: &str) -> Section {
    let m = &run.manifest;
    let text = |key: &str| -> String {
        match &m[key] {
            serde_json::Value::String(s) => escape(s),
            serde_json::Value::Null => "–".into(),
            v => escape(&v.to_string()),
        }
    };
    let sweep = run.scenario.sweep.as_ref();
    let design = match sweep {
        None => "single point".to_string(),
        Some(s) => format!(
            "{} over {}",
            s.design.name(),
            plural(run.runs.swept_keys.len() as u64, "parameter", "parameters")
        ),
    };
    let elapsed = m["elapsed_seconds"]
        .as_f64()
        .map(number)
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = [
        ("scenario", text("scenario_name")),
        (
            "scenario file",
            format!("<code>{}</code>", text("scenario_file")),
        ),
        ("results folder", format!("<code>{}</code>", escape(folder))),
        (
            "program",
            format!("{} {}", text("program"), text("version")),
        ),
        (
            "resolved scenario SHA-256",
            format!("<code>{}</code>", text("scenario_sha256")),
        ),
        ("master seed", text("master_seed")),
        ("design", escape(&design)),
        ("design points", text("points")),
        ("replicates per point", text("replicates")),
        ("runs", text("runs")),
        ("threads", text("threads")),
        ("started (UTC)", text("start_time")),
        ("finished (UTC)", text("end_time")),
        ("elapsed", format!("{elapsed} s")),
        (
            "months simulated (after burn-in)",
            run.scenario.values.whole("run.months").to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| vec![escape(k), v])
    .collect();
    let mut body = table(&["", "value"], &rows);
    body.push_str(&shocks(run));
    if let Some(s) = sweep {
        body.push_str("<h3>Swept parameters</h3>\n");
        let rows: Vec<Vec<String>> = run
            .runs
            .swept_keys
            .iter()
            .map(|key| {
                let values = s
                    .parameters
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| match v {
                        SweepValues::List(list) => {
                            list.iter().map(value_cell).collect::<Vec<_>>().join(", ")
                        }
                        SweepValues::Range { min, max } => format!("{min} to {max}"),
                    })
                    .unwrap_or_else(|| "from the design file".into());
                let meaning = index_of(key)
                    .map(|i| registry()[i].meaning.clone())
                    .or_else(|| shock_field_doc(key).map(|(_, m)| m.to_string()));
                vec![
                    format!("<code>{}</code>", escape(key)),
                    escape(labels::parameter(key)),
                    escape(&values),
                    escape(&meaning.unwrap_or_default()),
                ]
            })
            .collect();
        body.push_str(&table(&["key", "unit", "values", "meaning"], &rows));
        body.push_str(&design_points(run));
    }
    body.push_str(&format!(
        "<details>\n<summary>Resolved scenario (TOML, as <code>commsim check</code> prints it)</summary>\n<pre>{}</pre>\n</details>\n",
        escape(m["resolved_scenario"].as_str().unwrap_or(""))
    ));
    if let Some(b) = m["comparison"]["b_resolved_scenario"].as_str() {
        body.push_str(&format!(
            "<details>\n<summary>Scenario B of the comparison, <code>{}</code>, as it ran (point 1; the scenario above is A, point 0)</summary>\n<pre>{}</pre>\n</details>\n",
            escape(m["comparison"]["b_scenario_name"].as_str().unwrap_or("")),
            escape(b)
        ));
    }
    Section {
        id: "provenance",
        title: "Scenario and provenance".into(),
        body,
    }
}

fn shocks(run: &Run) -> String {
    if run.scenario.shocks.is_empty() {
        return "<p class=\"note\">No shock: crisis outcomes are undefined and the pattern scorecard is not shown.</p>\n".into();
    }
    let rows: Vec<Vec<String>> = run
        .scenario
        .shocks
        .iter()
        .map(|s| {
            vec![
                escape(s.kind.name()),
                s.start_month.to_string(),
                s.duration_months.to_string(),
                number(s.severity),
            ]
        })
        .collect();
    format!(
        "<h3>Shocks</h3>\n{}",
        table(
            &[
                "kind",
                "start (month)",
                "duration (months)",
                "peak severity (0-1)"
            ],
            &rows
        )
    )
}

fn design_points(run: &Run) -> String {
    let runs = &run.runs;
    if runs.points() > MAX_LISTED_POINTS {
        return format!(
            "<p class=\"note\">{} design points; <code>commsim design</code> lists them, and runs.csv gives each run's values.</p>\n",
            runs.points()
        );
    }
    let mut header = vec!["point"];
    header.extend(runs.swept_keys.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = runs
        .point_values
        .iter()
        .enumerate()
        .map(|(p, values)| {
            let mut row = vec![p.to_string()];
            // Four significant digits here; runs.csv has every digit.
            row.extend(values.iter().map(|v| match v.parse::<f64>() {
                Ok(x) => number(x),
                Err(_) => escape(v),
            }));
            row
        })
        .collect();
    format!("<h3>Design points</h3>\n{}", table(&header, &rows))
}
