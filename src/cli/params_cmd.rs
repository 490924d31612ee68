//! `commsim params`: every key with its default, range, unit, factor IDs and meaning.

use super::Format;
use commsim::params::registry;

struct Row {
    key: String,
    default: String,
    range: String,
    unit: String,
    factors: String,
    meaning: String,
}

fn rows() -> Vec<Row> {
    let mut rows: Vec<Row> = registry()
        .iter()
        .map(|s| Row {
            key: s.key.clone(),
            default: s.default.to_string(),
            range: s.kind.range(),
            unit: s.unit.to_string(),
            factors: s.factors.to_string(),
            meaning: s.meaning.clone(),
        })
        .collect();
    let extra: [(&str, &str, &str, &str, &str, &str); 14] = [
        ("shocks.N.start_month", "12", "[0, run.months - 1]", "month", "K1 K2 K3 K4", "[[shocks]]: month the shock starts"),
        ("shocks.N.duration_months", "12", "[1, 1200]", "months", "K1 K2 K3 K4", "[[shocks]]: how long it lasts"),
        ("shocks.N.severity", "0.8", "[0, 1]", "intensity", "K1 K4", "[[shocks]]: peak intensity"),
        ("shocks.N.kind", "\"pandemic\"", "pandemic|economic|disaster", "kind", "K1 K4 A2", "[[shocks]]: what it hits (pandemic: gatherings restricted; economic: business hardest)"),
        ("shocks.N.profile", "[1.0]", "1 to 1200 numbers in [0, 1]", "relative intensity", "P1 P2", "[[shocks]]: monthly profile stretched over the duration (waves)"),
        ("sweep.design", "\"grid\"", "grid|lhs|sobol|morris|file", "design", "", "kind of sweep design"),
        ("sweep.samples", "64", "[1, 10000000]", "points", "", "design points for lhs and sobol"),
        ("sweep.file", "", "path", "file", "", "CSV of design points for design file, relative to the scenario file; its header names parameter keys"),
        ("sweep.second_order", "false", "true|false", "flag", "", "design sobol: add second-order terms, N (2k + 2) points"),
        ("sweep.common_random_numbers", "false", "true|false", "flag", "", "replicate r has the same seed at every design point, so points compare run by run (runs.csv's seed column shows it)"),
        ("sweep.trajectories", "10", "[2, 5000000]", "trajectories", "", "design morris: trajectories r kept, r (k + 1) points (SALib's N, or optimal_trajectories with candidates)"),
        ("sweep.levels", "4", "even, [2, 1000]", "levels", "", "design morris: levels p of each parameter's grid; steps of p / (2 (p - 1)) of its range (SALib's num_levels)"),
        ("sweep.candidates", "", "[3, 1000], > trajectories", "trajectories", "", "design morris: trajectories drawn, of which the trajectories most spread are kept (Campolongo 2007; SALib's N with optimal_trajectories); unset: no selection"),
        ("sweep.parameters.\"KEY\"", "", "list or { min, max }", "values", "", "a swept key: a list (grid) or a range (lhs, sobol, morris)"),
    ];
    for (key, default, range, unit, factors, meaning) in extra {
        rows.push(Row {
            key: key.into(),
            default: default.into(),
            range: range.into(),
            unit: unit.into(),
            factors: factors.into(),
            meaning: meaning.into(),
        });
    }
    rows
}

pub fn render(format: Format) -> String {
    let rows = rows();
    let header = ["key", "default", "range", "unit", "factors", "meaning"];
    let cells = |r: &Row| {
        [
            r.key.clone(),
            r.default.clone(),
            r.range.clone(),
            r.unit.clone(),
            r.factors.clone(),
            r.meaning.clone(),
        ]
    };
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(header).expect("in memory");
            for r in &rows {
                w.write_record(cells(r)).expect("in memory");
            }
            String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
        }
        Format::Markdown => {
            let mut out = format!(
                "| {} |\n|{}\n",
                header.join(" | "),
                " --- |".repeat(header.len())
            );
            for r in &rows {
                let c = cells(r).map(|s| s.replace('|', "\\|"));
                out.push_str(&format!("| `{}` | {} |\n", c[0], c[1..].join(" | ")));
            }
            out
        }
        Format::Table => {
            let all: Vec<[String; 6]> = std::iter::once(header.map(String::from))
                .chain(rows.iter().map(cells))
                .collect();
            let widths: Vec<usize> = (0..5)
                .map(|i| all.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
                .collect();
            let mut out = String::new();
            for r in &all {
                for (i, w) in widths.iter().enumerate() {
                    out.push_str(&format!("{:<w$}  ", r[i], w = w));
                }
                out.push_str(&r[5]);
                out.push('\n');
            }
            out
        }
    }
}
