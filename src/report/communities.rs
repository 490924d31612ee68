//! The communities one by one (communities.csv, with `output.communities`): survival by founding
//! cohort, and how the grant money spreads across communities (a Lorenz curve and its figures).
//! A few points are shown one by one; beyond [`MAX_POINTS_APART`], design point 0.

use super::page::{escape, figure, missing, number, swatch, table, Section};
use super::plot::{self, chart, colour, numeric_mesh, svg, Drawn, SMALL};
use super::sections::point_label;
use super::{Run, MAX_POINTS_APART};
use crate::experiment::stats::{quantile, summarize};
use crate::model::outcomes::{top_share, TOP_SHARE};
use plotters::prelude::*;

/// Communities present at month 0, by how long before it they were founded: at least this many
/// months (5 years, 2 years, 1 year), and less (an initial community is founded up to ten years
/// before month 0, `formation`).
const AGE_BANDS: [i64; 3] = [60, 24, 12];
/// Communities founded during the run, by the year of the run they were founded in; later years
/// than this many are pooled.
const MAX_YEARS_APART: i64 = 10;
/// Months after entering observation at which survival is read for every cohort alike.
const SURVIVAL_MONTHS: i64 = 12;
/// The share at the top that a second figure reads, beside `grant_top_share`'s tenth.
const TOP_HUNDREDTH: f64 = 0.01;
/// Knots of a drawn Lorenz curve (evenly spaced in the share of communities).
const LORENZ_KNOTS: usize = 200;

/// What the section needs of one community.
struct Row {
    cohort: usize,
    alive: bool,
    /// Whether it lived [`SURVIVAL_MONTHS`] after entering observation; `None` if the run ended
    /// before that.
    lived: Option<bool>,
    money: f64,
    applications: f64,
    won: f64,
}

/// The cohort's label, and the cohort of a community (`initial`, `founded` as written).
fn cohorts(months: i64) -> Vec<String> {
    let years = ((months + 11) / 12).clamp(1, MAX_YEARS_APART);
    let mut labels = vec![
        "at month 0, founded 5 years or more before".to_string(),
        "at month 0, founded 2 to 5 years before".into(),
        "at month 0, founded 1 to 2 years before".into(),
        "at month 0, founded less than a year before".into(),
    ];
    for y in 0..years {
        let last = ((y + 1) * 12).min(months) - 1;
        labels.push(
            if y == MAX_YEARS_APART - 1 && months > MAX_YEARS_APART * 12 {
                format!(
                    "founded in year {} of the run or later (months {}–)",
                    y + 1,
                    y * 12
                )
            } else {
                format!(
                    "founded in year {} of the run (months {}–{last})",
                    y + 1,
                    y * 12
                )
            },
        );
    }
    labels
}

fn cohort_of(initial: bool, founded: i64) -> usize {
    if initial {
        AGE_BANDS
            .iter()
            .position(|&age| -founded >= age)
            .unwrap_or(AGE_BANDS.len())
    } else {
        AGE_BANDS.len() + 1 + (founded / 12).min(MAX_YEARS_APART - 1) as usize
    }
}

/// The rows of the points shown, read from communities.csv; errors name the file and line.
fn read(text: &str, shown: usize, months: i64) -> Result<Vec<Vec<Row>>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("communities.csv: {e}"))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("communities.csv:1: no column `{name}`"))
    };
    let [point, initial, founded, exited, status, money, applications, won] = [
        "point",
        "initial",
        "founded",
        "exited",
        "status",
        "grant_money",
        "grant_applications",
        "grants_won",
    ]
    .map(column);
    let (point, initial, founded, exited, status) = (point?, initial?, founded?, exited?, status?);
    let (money, applications, won) = (money?, applications?, won?);
    let mut points: Vec<Vec<Row>> = (0..shown).map(|_| Vec::new()).collect();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("communities.csv:{line}: {e}"))?;
        let number = |c: usize| -> Result<f64, String> {
            record[c].parse().map_err(|_| {
                format!(
                    "communities.csv:{line}: `{}` in column {} is not a number",
                    &record[c], &header[c]
                )
            })
        };
        let p = number(point)? as usize;
        let Some(rows) = points.get_mut(p) else {
            continue;
        };
        let first = number(founded)? as i64;
        let is_initial = &record[initial] == "true";
        let entered = if is_initial { 0 } else { first };
        let exit = match &record[exited] {
            "" => None,
            _ => Some(number(exited)? as i64),
        };
        rows.push(Row {
            cohort: cohort_of(is_initial, first),
            alive: &record[status] == crate::model::records::ALIVE,
            lived: (entered + SURVIVAL_MONTHS <= months)
                .then(|| exit.is_none_or(|m| m >= entered + SURVIVAL_MONTHS)),
            money: number(money)?,
            applications: number(applications)?,
            won: number(won)?,
        });
    }
    Ok(points)
}

/// A share as a number, or a dash without a denominator.
fn share(num: usize, den: usize) -> String {
    if den == 0 {
        "–".into()
    } else {
        number(num as f64 / den as f64)
    }
}

/// The survival table of one point: a row per cohort with communities.
fn survival_table(rows: &[Row], labels: &[String], runs: usize) -> String {
    let mut out = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        let cohort: Vec<&Row> = rows.iter().filter(|r| r.cohort == k).collect();
        if cohort.is_empty() {
            continue;
        }
        let observed: Vec<bool> = cohort.iter().filter_map(|r| r.lived).collect();
        out.push(vec![
            escape(label),
            number(cohort.len() as f64 / runs.max(1) as f64),
            share(cohort.iter().filter(|r| r.alive).count(), cohort.len()),
            share(observed.iter().filter(|&&l| l).count(), observed.len()),
        ]);
    }
    table(
        &[
            "cohort",
            "communities a run",
            "alive at the end (share)",
            "alive 12 months after entering (share)",
        ],
        &out,
    )
}

/// Gini coefficient of amounts sorted ascending; `None` when they sum to 0.
fn gini(sorted: &[f64]) -> Option<f64> {
    let total: f64 = sorted.iter().sum();
    let n = sorted.len() as f64;
    (total > 0.0).then(|| {
        sorted
            .iter()
            .enumerate()
            .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
            .sum::<f64>()
            / (n * total)
    })
}

/// The Lorenz curve of amounts sorted ascending, at [`LORENZ_KNOTS`] + 1 knots; `None` when
/// they sum to 0.
fn lorenz(sorted: &[f64]) -> Option<Vec<(f64, f64)>> {
    let total: f64 = sorted.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut cumulative = Vec::with_capacity(sorted.len() + 1);
    cumulative.push(0.0);
    let mut sum = 0.0;
    for x in sorted {
        sum += x;
        cumulative.push(sum);
    }
    let n = sorted.len();
    let knots = LORENZ_KNOTS.min(n);
    Some(
        (0..=knots)
            .map(|j| {
                let k = j * n / knots;
                (k as f64 / n as f64, cumulative[k] / total)
            })
            .collect(),
    )
}

/// The Lorenz curves of the points shown, with the line of equality.
fn lorenz_figure(curves: &[Option<Vec<(f64, f64)>>]) -> Drawn {
    let (x, y) = (0.0..1.0, 0.0..1.0);
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(
            &mut c,
            &x,
            &y,
            "communities, least money first (share of communities)",
            "grant money won (share of the total)",
        )?;
        c.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            plot::GREY.stroke_width(1),
        )))?;
        for (p, curve) in curves.iter().enumerate() {
            if let Some(knots) = curve {
                c.draw_series(std::iter::once(PathElement::new(
                    knots.clone(),
                    colour(p).stroke_width(2),
                )))?;
            }
        }
        Ok(())
    })
}

/// The section, from communities.csv's text.
pub fn section(run: &Run, text: &str) -> Result<Section, String> {
    let points = run.runs.points();
    let shown = if points <= MAX_POINTS_APART {
        points
    } else {
        1
    };
    let months = run.scenario.values.whole("run.months") as i64;
    let rows = read(text, shown, months)?;
    let labels = cohorts(months);
    let runs = |p: usize| run.runs.table.values.first().map_or(0, |v| v[p].len());
    let mut body = String::from(
        "<p class=\"note\">communities.csv: one row per community of every run, those alive at \
         month 0 and those founded later (MODEL.md, section 8). Survival by founding cohort: the \
         communities present at month 0 by how long before it they were founded, and those \
         founded during the run by its year; <em>alive 12 months after entering</em> reads every \
         cohort alike, from month 0 for the first and from the founding month for the others, \
         among the communities the run observed that long. Grant money: each community's money \
         won in the observed months (a co-applied award counted in full, as in \
         <code>grant_money</code>), pooled over the point's runs.</p>\n",
    );
    if shown < points {
        body.push_str(&format!(
            "<p class=\"note\">Design point 0 of {points} (communities.csv has every point's \
             communities).</p>\n"
        ));
    }
    body.push_str("<h3>Survival by founding cohort</h3>\n");
    let mut grant_rows = Vec::new();
    let mut curves = Vec::new();
    for (p, rows) in rows.iter().enumerate() {
        if shown > 1 {
            body.push_str(&format!("<h4>{}</h4>\n", escape(&point_label(run, p))));
        }
        body.push_str(&survival_table(rows, &labels, runs(p)));
        let mut money: Vec<f64> = rows.iter().map(|r| r.money).collect();
        money.sort_by(f64::total_cmp);
        let applications: f64 = rows.iter().map(|r| r.applications).sum();
        let won: f64 = rows.iter().map(|r| r.won).sum();
        let winners = rows.iter().filter(|r| r.won > 0.0).count();
        let of_runs = summarize(&run.runs.column("grant_top_share", p)).map(|s| s.mean);
        let at = |percent: u32| match money.is_empty() {
            true => f64::NAN,
            false => quantile(&money, percent),
        };
        let mean = money.iter().sum::<f64>() / money.len().max(1) as f64;
        let top = |share: f64| top_share(money.iter().copied(), share).unwrap_or(f64::NAN);
        let mut row = vec![escape(&point_label(run, p))];
        row.extend([
            number(rows.len() as f64 / runs(p).max(1) as f64),
            number(applications / rows.len().max(1) as f64),
            if applications > 0.0 {
                number(won / applications)
            } else {
                "–".into()
            },
            share(winners, rows.len()),
            number(mean),
            number(at(50)),
            number(at(95)),
            number(money.last().copied().unwrap_or(f64::NAN)),
            number(top(TOP_SHARE)),
            number(top(TOP_HUNDREDTH)),
            number(gini(&money).unwrap_or(f64::NAN)),
            number(of_runs.unwrap_or(f64::NAN)),
        ]);
        grant_rows.push(row);
        curves.push(lorenz(&money));
    }
    body.push_str("<h3>Grant money across communities</h3>\n");
    body.push_str(&table(
        &[
            "point",
            "communities a run",
            "applications a community",
            "awards per application",
            "communities with an award (share)",
            "money won: mean (million roubles)",
            "money won: median",
            "money won: 95%",
            "money won: most",
            "share of the top 10%",
            "share of the top 1%",
            "Gini",
            "grant_top_share, mean of runs",
        ],
        &grant_rows,
    ));
    let id = "communities-lorenz";
    let title = "grant money across communities (Lorenz curve)";
    body.push_str("<div class=\"grid\">\n");
    body.push_str(&if curves.iter().all(Option::is_none) {
        missing(id, title, "no community won grant money in the runs shown")
    } else {
        let legend: Vec<String> = (0..curves.len())
            .map(|p| {
                let c = colour(p);
                format!(
                    "{}{}",
                    swatch((c.0, c.1, c.2)),
                    escape(&point_label(run, p))
                )
            })
            .collect();
        let caption = format!(
            "Communities ranked by the grant money each won, least first, against the share of \
             all grant money they hold together (all runs of the point pooled); grey: equal \
             shares. {}",
            legend.join(" ")
        );
        match lorenz_figure(&curves) {
            Ok(svg) => figure(id, "lorenz", title, &svg, &caption),
            Err(e) => missing(id, title, &e),
        }
    });
    body.push_str("</div>\n");
    Ok(Section {
        id: "communities",
        title: "Communities one by one".into(),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohorts_follow_the_founding_month() {
        assert_eq!(cohort_of(true, -119), 0);
        assert_eq!(cohort_of(true, -60), 0);
        assert_eq!(cohort_of(true, -40), 1);
        assert_eq!(cohort_of(true, -12), 2);
        assert_eq!(cohort_of(true, 0), 3);
        assert_eq!(cohort_of(false, 0), 4);
        assert_eq!(cohort_of(false, 13), 5);
        assert_eq!(cohort_of(false, 12 * 40), 4 + 9);
        assert_eq!(cohorts(48).len(), 4 + 4);
        assert!(cohorts(30)[6].ends_with("(months 24–29)"));
        assert!(cohorts(1200)[13].contains("or later"));
    }

    #[test]
    fn gini_and_lorenz_of_equal_and_concentrated_money() {
        assert_eq!(gini(&[1.0, 1.0, 1.0, 1.0]), Some(0.0));
        assert_eq!(gini(&[0.0, 0.0, 0.0, 4.0]), Some(0.75));
        assert_eq!(gini(&[0.0, 0.0]), None);
        let curve = lorenz(&[0.0, 0.0, 0.0, 4.0]).unwrap();
        assert_eq!(curve.first(), Some(&(0.0, 0.0)));
        assert_eq!(curve[3], (0.75, 0.0));
        assert_eq!(curve.last(), Some(&(1.0, 1.0)));
        assert_eq!(lorenz(&vec![1.0; 1000]).unwrap().len(), LORENZ_KNOTS + 1);
    }
}
