//! The files of a finished run read back into memory for the report: runs.csv by point and
//! outcome, survival.csv as event and censoring counts, timeseries.csv as values by series and
//! month. Each reader names the file and line of what it cannot read.

use crate::experiment::sensitivity::SweepRuns;
use crate::experiment::survival::SurvivalCounts;
use crate::params::TYPES;
use crate::scenario::is_parameter_key;

/// runs.csv: the swept keys, each point's swept values (as written) and each outcome's values by
/// point and replicate (`None` where the run left the cell empty), held as the sensitivity
/// analysis takes them, so the Sobol section uses them without a copy.
#[derive(Debug)]
pub struct Runs {
    pub swept_keys: Vec<String>,
    /// `point_values[point][key]`, the cell text of the swept key.
    pub point_values: Vec<Vec<String>>,
    /// `outcomes` and `values[outcome][point][replicate]`.
    pub table: SweepRuns,
}

impl Runs {
    pub fn points(&self) -> usize {
        self.point_values.len()
    }

    /// The column of one outcome at one point, for the pattern scorecard.
    pub fn column(&self, outcome: &str, point: usize) -> Vec<Option<f64>> {
        self.table
            .outcomes
            .iter()
            .position(|o| o == outcome)
            .map(|o| self.table.values[o][point].clone())
            .unwrap_or_default()
    }

    /// The swept value of `key` at `point` as a number (NaN if it is not one).
    pub fn swept_number(&self, point: usize, key: usize) -> f64 {
        let cell = &self.point_values[point][key];
        match cell.as_str() {
            "true" => 1.0,
            "false" => 0.0,
            _ => cell.parse().unwrap_or(f64::NAN),
        }
    }

    /// Reads runs.csv. Columns after `seed` that are parameter keys are the swept keys; the rest
    /// are outcomes. Points are numbered from 0 without gaps.
    pub fn from_csv(text: &str) -> Result<Runs, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| format!("runs.csv: {e}"))?
            .clone();
        if header.len() < 3 || &header[0] != "point" || &header[1] != "replicate" {
            return Err("runs.csv:1: the header does not start with point, replicate, seed".into());
        }
        let names: Vec<&str> = header.iter().skip(3).collect();
        let n_swept = names.iter().take_while(|n| is_parameter_key(n)).count();
        let outcomes: Vec<String> = names[n_swept..].iter().map(|s| s.to_string()).collect();
        let mut runs = Runs {
            swept_keys: names[..n_swept].iter().map(|s| s.to_string()).collect(),
            point_values: Vec::new(),
            table: SweepRuns {
                values: vec![Vec::new(); outcomes.len()],
                outcomes,
            },
        };
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("runs.csv:{line}: {e}"))?;
            let point: usize = record[0]
                .parse()
                .map_err(|_| format!("runs.csv:{line}: point `{}` is not a number", &record[0]))?;
            if point > runs.points() {
                return Err(format!("runs.csv:{line}: point {point} follows a gap"));
            }
            if point == runs.points() {
                let swept = record.iter().skip(3).take(n_swept).map(String::from);
                runs.point_values.push(swept.collect());
                for column in &mut runs.table.values {
                    column.push(Vec::new());
                }
            }
            for (o, cell) in record.iter().skip(3 + n_swept).enumerate() {
                let value = if cell.is_empty() {
                    None
                } else {
                    Some(cell.parse::<f64>().map_err(|_| {
                        format!(
                            "runs.csv:{line}: `{cell}` in {} is not a number",
                            runs.table.outcomes[o]
                        )
                    })?)
                };
                runs.table.values[o][point].push(value);
            }
        }
        if runs.points() == 0 {
            return Err("runs.csv: no runs".into());
        }
        Ok(runs)
    }
}

/// survival.csv: event and censoring counts by point, with one group per community type.
pub fn survival_from_csv(text: &str, points: usize) -> Result<Vec<SurvivalCounts>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("survival.csv: {e}"))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("survival.csv:1: no column `{name}`"))
    };
    let (c_type, c_month) = (col("type")?, col("month")?);
    let (c_events, c_censored) = (col("events")?, col("censored")?);
    let mut counts: Vec<SurvivalCounts> = Vec::new();
    let mut months = 0;
    let mut rows: Vec<(usize, usize, usize, u64, u64)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("survival.csv:{line}: {e}"))?;
        let number = |c: usize| -> Result<u64, String> {
            record[c]
                .parse()
                .map_err(|_| format!("survival.csv:{line}: `{}` is not a count", &record[c]))
        };
        let point = number(0)? as usize;
        let group = TYPES
            .iter()
            .position(|t| *t == &record[c_type])
            .ok_or_else(|| format!("survival.csv:{line}: unknown type `{}`", &record[c_type]))?;
        let month = number(c_month)? as usize;
        if point >= points {
            return Err(format!(
                "survival.csv:{line}: point {point} is not in runs.csv"
            ));
        }
        months = months.max(month + 1);
        rows.push((point, group, month, number(c_events)?, number(c_censored)?));
    }
    counts.resize(points, SurvivalCounts::new(TYPES.len(), months));
    for (point, group, month, events, censored) in rows {
        counts[point].events[group][month] += events;
        counts[point].censored[group][month] += censored;
    }
    Ok(counts)
}

/// timeseries.csv: `values[series][group][month]` holds the replicates' values, where a group
/// is a point or, when `pool` is set, all points together.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub names: Vec<String>,
    pub months: usize,
    pub values: Vec<Vec<Vec<Vec<f64>>>>,
}

pub fn series_from_csv(text: &str, points: usize, pool: bool) -> Result<Series, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("timeseries.csv: {e}"))?
        .clone();
    // point, replicate, the swept keys (since 0.1: none in older files), month, the series.
    let c_month = header.iter().position(|h| h == "month");
    let c_month = match c_month {
        Some(c) if c >= 2 && &header[0] == "point" && &header[1] == "replicate" && c + 1 < header.len() => c,
        _ => {
            return Err(
                "timeseries.csv:1: the header is not point, replicate, the swept keys, month and the series".into(),
            )
        }
    };
    let first_series = c_month + 1;
    let names: Vec<String> = header.iter().skip(first_series).map(String::from).collect();
    let groups = if pool { 1 } else { points };
    // By series, group and month; months grow as they are met.
    let mut values: Vec<Vec<Vec<Vec<f64>>>> = vec![vec![Vec::new(); groups]; names.len()];
    let mut months = 0;
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("timeseries.csv:{line}: {e}"))?;
        // An empty cell is a value undefined in that month (NaN), as in runs.csv.
        let parse = |c: usize| -> Result<f64, String> {
            match record.get(c) {
                Some("") => Ok(f64::NAN),
                Some(cell) => cell
                    .parse()
                    .map_err(|_| format!("timeseries.csv:{line}: `{cell}` is not a number")),
                None => Err(format!("timeseries.csv:{line}: too few columns")),
            }
        };
        let whole = |c: usize| -> Result<usize, String> {
            let x = parse(c)?;
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 {
                Ok(x as usize)
            } else {
                Err(format!(
                    "timeseries.csv:{line}: column {} is not a whole number",
                    c + 1
                ))
            }
        };
        let point = whole(0)?;
        let month = whole(c_month)?;
        if point >= points {
            return Err(format!(
                "timeseries.csv:{line}: point {point} is not in runs.csv"
            ));
        }
        let group = if pool { 0 } else { point };
        months = months.max(month + 1);
        for (s, by_group) in values.iter_mut().enumerate() {
            let by_month = &mut by_group[group];
            if by_month.len() <= month {
                by_month.resize(month + 1, Vec::new());
            }
            by_month[month].push(parse(first_series + s)?);
        }
    }
    // Every group spans every month, with or without values.
    for by_group in &mut values {
        for by_month in by_group.iter_mut() {
            by_month.resize(months, Vec::new());
        }
    }
    Ok(Series {
        names,
        months,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_swept_keys_from_outcomes_and_keep_empty_cells() {
        let text = "point,replicate,seed,grants.budget,survival,crisis_dissolution\n\
                    0,0,1,10,0.9,\n0,1,2,10,0.8,0.1\n1,0,3,20,0.7,0.2\n";
        let runs = Runs::from_csv(text).unwrap();
        assert_eq!(runs.swept_keys, ["grants.budget"]);
        assert_eq!(runs.table.outcomes, ["survival", "crisis_dissolution"]);
        assert_eq!(runs.points(), 2);
        assert_eq!(runs.column("crisis_dissolution", 0), [None, Some(0.1)]);
        assert_eq!(runs.swept_number(1, 0), 20.0);
    }

    #[test]
    fn runs_with_a_gap_or_text_are_refused_with_the_line() {
        let gap = "point,replicate,seed,survival\n0,0,1,0.5\n2,0,1,0.5\n";
        assert!(Runs::from_csv(gap).unwrap_err().contains("runs.csv:3"));
        let text = "point,replicate,seed,survival\n0,0,1,abc\n";
        assert!(Runs::from_csv(text).unwrap_err().contains("runs.csv:2"));
    }

    #[test]
    fn series_pool_points_or_keep_them_apart() {
        let text = "point,replicate,month,communities\n0,0,0,5\n0,0,1,6\n1,0,0,7\n1,0,1,8\n";
        let apart = series_from_csv(text, 2, false).unwrap();
        assert_eq!(apart.values[0][1][1], [8.0]);
        let pooled = series_from_csv(text, 2, true).unwrap();
        assert_eq!(pooled.values[0][0][0], [5.0, 7.0]);
        assert_eq!(pooled.months, 2);
    }

    #[test]
    fn series_read_past_swept_keys_and_keep_undefined_cells() {
        let text = "point,replicate,grants.budget,month,communities,economy_village\n\
                    0,0,10,0,5,\n0,0,10,1,6,\n";
        let s = series_from_csv(text, 1, false).unwrap();
        assert_eq!(s.names, ["communities", "economy_village"]);
        assert_eq!(s.values[0][0][1], [6.0]);
        assert!(s.values[1][0][0][0].is_nan());
    }
}
