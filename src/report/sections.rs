//! The figure sections of the report. Each chooses its figures by the number of design points:
//! a few points are shown one by one, many are summarised (ordered by median, pooled, or as
//! the spread of point curves), and every caption says which.

use super::data::Series;
use super::page::{escape, figure, missing, number, swatch, Section};
use super::MAX_POINTS_APART;
use super::{distributions, km, labels, plot, series as series_fig, Run};
use crate::experiment::stats::summarize;
use crate::experiment::survival::SurvivalCounts;
use crate::params::TYPES;
use rayon::prelude::*;
use std::fmt::Write;

/// Outcomes with a value in at least one run, grouped by family, in runs.csv order; and the
/// outcomes undefined in every run.
fn families(run: &Run) -> (Vec<Vec<usize>>, Vec<String>) {
    let mut groups = vec![Vec::new(); labels::FAMILIES.len()];
    let mut undefined = Vec::new();
    for (o, name) in run.runs.table.outcomes.iter().enumerate() {
        if run.runs.table.values[o]
            .iter()
            .flatten()
            .any(Option::is_some)
        {
            groups[labels::outcome(name).0].push(o);
        } else {
            undefined.push(name.clone());
        }
    }
    (groups, undefined)
}

/// Figures of every defined outcome, drawn in parallel and placed in families (in order).
pub(super) fn by_family(run: &Run, draw: &(dyn Fn(usize) -> String + Sync)) -> String {
    let (groups, undefined) = families(run);
    let mut out = String::new();
    for (f, outcomes) in groups.iter().enumerate() {
        if outcomes.is_empty() {
            continue;
        }
        let figures: Vec<String> = outcomes.par_iter().map(|&o| draw(o)).collect();
        let _ = write!(
            out,
            "<details open>\n<summary>{}</summary>\n<div class=\"grid\">\n{}</div>\n</details>\n",
            escape(labels::FAMILIES[f]),
            figures.concat()
        );
    }
    if !undefined.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Undefined in every run (no figure): {}.</p>",
            undefined
                .iter()
                .map(|n| format!("<code>{}</code>", escape(n)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

fn outcome_axis(name: &str) -> String {
    labels::axis(name, labels::outcome(name).1)
}

pub fn outcomes(run: &Run) -> Section {
    let points = run.runs.points();
    let intro = match points {
        1 => "Each histogram shows one outcome over the replicates: bars count runs, the black line is \
             the median, the red dot and bar above them the mean and its 95% confidence interval.".to_string(),
        n if n <= distributions::MAX_BOXES => format!("One box per design point ({n} points; the design points table in section 1 gives their \
             values): the box holds the middle 50% of runs, the whiskers 5% to 95%, the black line is \
             the median and each dot one run."),
        n => format!("{n} design points, ordered by their median: each vertical line spans one point's runs \
             from 5% to 95% (thin) and 25% to 75% (thick); the dot is its median (beyond {} points, as \
             ribbons and a line). Up to {} points are \
             drawn, evenly spaced by rank.", distributions::MAX_RANGES, distributions::MAX_RANKED),
    };
    let draw = |o: usize| -> String {
        let name = &run.runs.table.outcomes[o];
        let id = format!("dist-{name}");
        match distributions::figure(&run.runs.table.values[o], &outcome_axis(name)) {
            Ok(svg) => figure(
                &id,
                "distribution",
                name,
                &svg,
                &distribution_caption(&run.runs.table.values[o]),
            ),
            Err(e) => missing(&id, name, &e),
        }
    };
    Section {
        id: "outcomes",
        title: "Outcomes across replicates".into(),
        body: format!(
            "<p class=\"note\">{}</p>\n{}",
            escape(&intro),
            by_family(run, &draw)
        ),
    }
}

fn distribution_caption(points: &[Vec<Option<f64>>]) -> String {
    if points.len() != 1 {
        let defined: usize = points.iter().flatten().flatten().count();
        return format!("{defined} runs with a value at {} points.", points.len());
    }
    match summarize(&points[0]) {
        Some(s) => format!(
            "n = {} runs; mean {} [95% CI {}, {}]; median {}; 5%–95% of runs: {} to {}.",
            s.n,
            number(s.mean),
            number(s.ci95_low),
            number(s.ci95_high),
            number(s.median),
            number(s.p05),
            number(s.p95)
        ),
        None => "no run has a value.".into(),
    }
}

/// A point's swept values, "key = value, ...", for headings.
pub(super) fn point_label(run: &Run, p: usize) -> String {
    let values: Vec<String> = run
        .runs
        .swept_keys
        .iter()
        .zip(&run.runs.point_values[p])
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if values.is_empty() {
        format!("point {p}")
    } else {
        format!("point {p}: {}", values.join(", "))
    }
}

/// The legend of a survival figure: a swatch, the type and the communities observed.
fn km_caption(counts: &SurvivalCounts) -> String {
    let types: Vec<String> = km::observed(counts)
        .iter()
        .enumerate()
        .map(|(g, n)| {
            let c = plot::colour(g);
            format!("{}{} (n = {n})", swatch((c.0, c.1, c.2)), TYPES[g])
        })
        .collect();
    format!(
        "Lines: survival by type, shaded: its 95% band. {}",
        types.join(" ")
    )
}

pub fn survival(run: &Run, counts: &[SurvivalCounts]) -> Result<Section, String> {
    let mut body = String::from(
        "<p class=\"note\">Kaplan–Meier survival of communities by type, pooled over replicates \
         (survival.csv): time is months since a community entered observation (month 0 for the \
         initial communities, the founding month for new ones); a dissolution is an event, a \
         community alive at the end is censored. Bands: 95% (Greenwood, log(−log) scale); n is the \
         number of communities observed.</p>\n",
    );
    if counts.len() <= MAX_POINTS_APART {
        let figures: Vec<String> = counts
            .par_iter()
            .enumerate()
            .map(|(p, c)| {
                let title = if counts.len() == 1 {
                    "by community type, all replicates pooled".to_string()
                } else {
                    point_label(run, p)
                };
                let id = format!("km-point-{p}");
                match km::by_type(c) {
                    Ok(svg) => figure(&id, "survival", &title, &svg, &km_caption(c)),
                    Err(e) => missing(&id, &title, &e),
                }
            })
            .collect();
        body.push_str(&figures.concat());
    } else {
        let mut pooled = counts[0].clone();
        for c in &counts[1..] {
            pooled.merge(c);
        }
        let _ = writeln!(
            body,
            "<p class=\"note\">{} design points: the first figure pools the communities of all \
             points (a mixture over the design, not one setting); the others show each type's \
             curve at every point (thin) around the pooled curve (black).</p>",
            counts.len()
        );
        let first = km::by_type(&pooled)
            .map(|svg| {
                figure(
                    "km-pooled",
                    "survival",
                    "all design points pooled",
                    &svg,
                    &km_caption(&pooled),
                )
            })
            .unwrap_or_else(|e| missing("km-pooled", "all design points pooled", &e));
        body.push_str(&first);
        let spaghetti_caption = if counts.len() > km::MAX_CURVES {
            format!(
                "Thin lines: {} of the {} design points (evenly spaced); black: all points pooled, \
                 with its 95% band.",
                counts.len().div_ceil(counts.len().div_ceil(km::MAX_CURVES)),
                counts.len()
            )
        } else {
            "Thin lines: one design point each; black: all points pooled, with its 95% band."
                .to_string()
        };
        let figures: Vec<String> = (0..TYPES.len())
            .into_par_iter()
            .map(|g| {
                let id = format!("km-type-{}", TYPES[g]);
                let title = format!("{}: every design point", TYPES[g]);
                match km::spaghetti(counts, &pooled, g) {
                    Ok(svg) => figure(&id, "survival", &title, &svg, &spaghetti_caption),
                    Err(e) => missing(&id, &title, &e),
                }
            })
            .collect();
        let _ = write!(body, "<div class=\"grid\">\n{}</div>\n", figures.concat());
    }
    Ok(Section {
        id: "survival",
        title: "Survival of communities".into(),
        body,
    })
}

pub fn series(run: &Run, series: &Series) -> Section {
    let shocks: Vec<(f64, f64)> = run
        .scenario
        .shocks
        .iter()
        .map(|s| (s.start_month as f64, s.end_month() as f64))
        .collect();
    let groups = series.values.first().map(Vec::len).unwrap_or(0);
    let legend: String = if groups == 1 && run.runs.points() > 1 {
        format!("Runs: all {} design points pooled.", run.runs.points())
    } else if groups == 1 {
        "Runs: every replicate.".into()
    } else {
        let points: Vec<String> = (0..groups)
            .map(|p| {
                let c = plot::colour(p);
                format!(
                    "{}{}",
                    swatch((c.0, c.1, c.2)),
                    escape(&point_label(run, p))
                )
            })
            .collect();
        format!("Colours: {}.", points.join(" "))
    };
    let caption = format!(
        "Line: median over runs each month; bands: the middle 50% (darker) and 90% of runs. {}{}",
        legend,
        if shocks.is_empty() {
            String::new()
        } else {
            format!(
                " {}shaded: shock.",
                swatch(plot::over_white(plot::SHADE, 2.0 * plot::SHADE_ALPHA))
            )
        }
    );
    let figures: Vec<String> = (0..series.names.len())
        .into_par_iter()
        .map(|s| {
            let name = &series.names[s];
            let id = format!("series-{name}");
            let groups: Vec<&[Vec<f64>]> = series.values[s].iter().map(Vec::as_slice).collect();
            let axis = labels::axis(name, labels::series(name));
            let defined = groups.iter().flat_map(|g| g.iter().flatten()).any(|x| x.is_finite());
            if !defined {
                return missing(
                    &id,
                    name,
                    "undefined in every month of every run (for example the economy of a territory class the region does not have)",
                );
            }
            match series_fig::figure(&groups, &axis, &shocks) {
                Ok(svg) => figure(&id, "series", name, &svg, &caption),
                Err(e) => missing(&id, name, &e),
            }
        })
        .collect();
    Section {
        id: "series",
        title: "Monthly series".into(),
        body: format!(
            "<p class=\"note\">timeseries.csv: {} months after burn-in; month 0 is the first \
                 observed month.</p>\n<div class=\"grid\">\n{}</div>\n",
            series.months,
            figures.concat()
        ),
    }
}
