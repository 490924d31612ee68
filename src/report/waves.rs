//! The study's own observation: the outcomes at the report's three waves of interviews, beside
//! the no-shock twin where there is one, and the signals of disintegration in the study's
//! sample (R1; MODEL.md, section 8, "The study's waves").

use super::labels::outcome as outcome_label;
use super::page::{escape, number, table, Section};
use super::Run;
use crate::experiment::stats::summarize;
use crate::model::outcomes::WAVE_OUTCOMES;
use crate::model::waves::{Study, WAVES};

/// Points up to this many get tables of their own; beyond it, the first point's.
const MAX_TABLES: usize = 4;

/// "mean [low, high]" of the defined values, or a dash.
fn cell(values: &[Option<f64>]) -> String {
    match summarize(values) {
        Some(s) if s.ci95_low.is_finite() && s.ci95_high.is_finite() => format!(
            "{} [{}, {}]",
            number(s.mean),
            number(s.ci95_low),
            number(s.ci95_high)
        ),
        Some(s) => number(s.mean),
        None => "–".into(),
    }
}

/// The twin's values: the run minus its excess, run by run; empty without an excess column.
fn twin(run: &Run, name: &str, point: usize) -> Vec<Option<f64>> {
    let raw = run.runs.column(name, point);
    let excess = run.runs.column(&format!("{name}_excess"), point);
    raw.iter()
        .zip(excess)
        .map(|(r, x)| Some((*r)? - x?))
        .collect()
}

/// Whether an outcome is one of the study's waves or its sample (`outcomes::wave_names`).
pub fn is_wave_outcome(name: &str) -> bool {
    crate::model::outcomes::wave_names()
        .iter()
        .any(|w| w == name)
}

/// The section, when runs.csv holds a value of any wave outcome.
/// The optional activity sign of the signal, as the sentence that lists the signs ends: nothing
/// when it is off (`observe.signal_activity = 0`).
fn activity_sign(floor: f64) -> String {
    if floor > 0.0 {
        format!(
            ", or activity below {} of its own wave-1 level in every month of the wave",
            number(floor)
        )
    } else {
        String::new()
    }
}

pub fn section(run: &Run) -> Option<Section> {
    let t = &run.runs.table;
    let defined = t.outcomes.iter().enumerate().any(|(o, name)| {
        is_wave_outcome(name) && t.values[o].iter().flatten().any(Option::is_some)
    });
    if !defined {
        return None;
    }
    let study = Study::from_params(
        &crate::model::parameters::Parameters::from_values(&run.scenario.values).observe,
    );
    let months: Vec<String> = study
        .waves
        .iter()
        .enumerate()
        .map(|(k, w)| format!("wave {} months {}–{}", k + 1, w.start, w.last()))
        .collect();
    let points = run.runs.points();
    let shown = if points <= MAX_TABLES { points } else { 1 };
    let mut body = format!(
        "<p class=\"note\">The report's interviews came in three waves: February–March 2020, \
         April–May 2020 and December 2020–March 2021 (months 13–14, 15–16 and 23–26 when month 0 \
         is January 2019, as in <code>pandemic-2020</code>). This run observes {} \
         (<code>observe.wave&lt;k&gt;_start</code>, <code>observe.wave&lt;k&gt;_months</code>). \
         Activity is relative to its level in the three months before the first shock; the \
         shares, horizon and expectation are those of communities alive in the wave's months. \
         The cohort is the communities alive through wave 1; <em>alive</em> and <em>signal</em> \
         are its shares alive, and showing the signal of disintegration (dissolved, or at least \
         {} of its members lost since wave 1{}), at the end of the wave. Each cell is the mean \
         over runs with its 95% interval; the twin, where there is one, is the same run with no \
         shock.</p>\n",
        months.join(", "),
        number(study.member_loss),
        activity_sign(study.activity_floor),
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
        let has_twin = (1..WAVES).any(|k| {
            WAVE_OUTCOMES.iter().any(|o| {
                twin(run, &format!("wave{}_{o}", k + 1), p)
                    .iter()
                    .any(Option::is_some)
            })
        });
        let mut header = vec!["outcome", "unit", "wave 1"];
        for k in 1..WAVES {
            header.push(["wave 2", "wave 3"][k - 1]);
            if has_twin {
                header.push(["wave 2, no-shock twin", "wave 3, no-shock twin"][k - 1]);
            }
        }
        let rows: Vec<Vec<String>> = WAVE_OUTCOMES
            .iter()
            .map(|o| {
                let name = |k: usize| format!("wave{}_{o}", k + 1);
                let mut row = vec![
                    format!("<code>{}</code>", escape(o)),
                    escape(outcome_label(&name(1)).1),
                ];
                for k in 0..WAVES {
                    row.push(if k == 0 && WAVE_OUTCOMES[6..].contains(o) {
                        "(reference)".into()
                    } else {
                        cell(&run.runs.column(&name(k), p))
                    });
                    if k > 0 && has_twin {
                        row.push(cell(&twin(run, &name(k), p)));
                    }
                }
                row
            })
            .collect();
        body.push_str(&table(&header, &rows));
        body.push_str(&sample(run, p, &study));
    }
    Some(Section {
        id: "waves",
        title: "The study's waves and its sample (R1)".into(),
        body,
    })
}

/// The sample's signals: their mean beside the twin's, and how often a run's sample shows
/// none, one, two or more (the report saw signs in one community).
fn sample(run: &Run, p: usize, study: &Study) -> String {
    let signals = run.runs.column("r1_signals", p);
    let counts: Vec<f64> = signals.iter().flatten().copied().collect();
    if counts.is_empty() {
        return "<p class=\"note\">No run observed the sample to its last wave \
                (<code>r1_signals</code> is empty): the run ends before the last wave does.</p>\n"
            .into();
    }
    let sizes = run.runs.column("r1_sample", p);
    let size = summarize(&sizes).map_or(f64::NAN, |s| s.mean);
    let share = |pred: &dyn Fn(f64) -> bool| {
        number(counts.iter().filter(|&&c| pred(c)).count() as f64 / counts.len() as f64)
    };
    let twin = twin(run, "r1_signals", p);
    let twin_text = if twin.iter().any(Option::is_some) {
        format!(
            "; its no-shock twin {} (the rest is what the shock did)",
            cell(&twin)
        )
    } else {
        String::new()
    };
    format!(
        "<p>The study's sample: {} communities a run on average (<code>observe.sample_size</code> \
         = {}) drawn from those alive through wave 1. Communities of the sample showing the signal \
         by the last wave (<code>r1_signals</code>; the report: «признаки дезинтеграции \
         наблюдаются только в одном из них», signs of disintegration in only one): {}{twin_text}. \
         Share of the {} runs whose sample shows none: {}; exactly one: {}; two: {}; three or \
         more: {}.</p>\n",
        number(size),
        study.sample_size,
        cell(&signals),
        counts.len(),
        share(&|c| c == 0.0),
        share(&|c| c == 1.0),
        share(&|c| c == 2.0),
        share(&|c| c >= 3.0),
    )
}
