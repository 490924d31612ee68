//! differences.csv of `commsim compare`: per outcome, B (point 1) minus A (point 0), paired by
//! replicate on common random numbers (see `experiment::paired`). Made from runs.csv as written,
//! so a resumed comparison gives the same file as an uninterrupted one.

use super::csvfmt::cell;
use crate::experiment::paired::paired;
use crate::experiment::ColumnType;

/// The header of differences.csv.
pub const DIFFERENCES_HEADER: [&str; 11] = [
    "outcome",
    "n",
    "mean_a",
    "mean_b",
    "difference",
    "sd",
    "ci95_low",
    "ci95_high",
    "correlation",
    "ci95_half_width",
    "independent_ci95_half_width",
];

/// The type of each column of [`DIFFERENCES_HEADER`]: the outcome's name, `n`, then reals.
pub const DIFFERENCES_TYPES: [ColumnType; 11] = [
    ColumnType::Text,
    ColumnType::Int,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
    ColumnType::Real,
];

/// differences.csv from the text of a comparison's runs.csv, one row per outcome in `outcomes`
/// order; an outcome no replicate defines in both runs has `n` = 0 and empty cells.
pub fn differences_csv(runs_csv: &str, outcomes: &[String]) -> Result<String, String> {
    let mut reader = csv::Reader::from_reader(runs_csv.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("runs.csv: {e}"))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("runs.csv has no column `{name}`"))
    };
    let (point, replicate) = (column("point")?, column("replicate")?);
    let columns: Vec<usize> = outcomes
        .iter()
        .map(|o| column(o))
        .collect::<Result<_, _>>()?;
    // values[side][outcome][replicate]
    let mut values = [
        vec![Vec::new(); outcomes.len()],
        vec![Vec::new(); outcomes.len()],
    ];
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("runs.csv: {e}"))?;
        let at = |i: usize| record.get(i).unwrap_or("");
        let bad = |what: &str| format!("runs.csv line {}: {what}", line + 2);
        let side = match at(point) {
            "0" => 0,
            "1" => 1,
            other => {
                return Err(bad(&format!(
                    "point `{other}`; a comparison has points 0 and 1"
                )))
            }
        };
        let r: usize = at(replicate).parse().map_err(|_| bad("replicate"))?;
        for (k, &c) in columns.iter().enumerate() {
            let v = match at(c) {
                "" => None,
                text => Some(text.parse::<f64>().map_err(|_| bad(&outcomes[k]))?),
            };
            let list = &mut values[side][k];
            if list.len() <= r {
                list.resize(r + 1, None);
            }
            list[r] = v;
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| e.to_string();
    out.write_record(DIFFERENCES_HEADER).map_err(io)?;
    for (k, name) in outcomes.iter().enumerate() {
        let mut row = vec![name.clone()];
        match paired(&values[0][k], &values[1][k]) {
            Some(p) => {
                row.push(p.n.to_string());
                for x in [
                    p.mean_a,
                    p.mean_b,
                    p.difference,
                    p.sd,
                    p.ci95_low,
                    p.ci95_high,
                    p.correlation,
                    (p.ci95_high - p.ci95_low) / 2.0,
                    p.independent_half_width,
                ] {
                    row.push(cell(x));
                }
            }
            None => {
                row.push("0".into());
                row.extend(std::iter::repeat_n(String::new(), 9));
            }
        }
        out.write_record(&row).map_err(io)?;
    }
    String::from_utf8(out.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pair_replicates_and_leave_undefined_outcomes_empty() {
        let runs = "point,replicate,seed,policy.training,survival,crisis_dissolution\n\
                    0,0,7,0,0.5,\n0,1,8,0,0.7,\n1,0,7,1,0.6,\n1,1,8,1,0.8,\n";
        let text =
            differences_csv(runs, &["survival".into(), "crisis_dissolution".into()]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], DIFFERENCES_HEADER.join(","));
        let cells: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(&cells[..4], ["survival", "2", "0.6", "0.7"]);
        let d: f64 = cells[4].parse().unwrap();
        assert!((d - 0.1).abs() < 1e-12);
        assert_eq!(lines[2], "crisis_dissolution,0,,,,,,,,,");
        assert!(
            differences_csv("point,replicate,survival\n2,0,1\n", &["survival".into()])
                .unwrap_err()
                .contains("points 0 and 1")
        );
    }
}
