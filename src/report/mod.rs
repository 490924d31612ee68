//! The HTML report of a finished run or sweep (`commsim report DIR`): one self-contained page of
//! SVG figures drawn with plotters, built from the run's files in memory. The library reads and
//! writes no file here; the command reads the folder and writes `report.html` whole.
//!
//! - [`data`]: runs.csv, survival.csv and timeseries.csv read back.
//! - [`provenance`]: the scenario and how the run was made.
//! - [`scorecard`]: the six patterns, when the scenario has a shock.
//! - [`comparison`]: crisis outcomes beside their no-shock twins, and a comparison's paired
//!   differences.
//! - [`waves`]: the outcomes at the study's three waves of interviews and its sample's signals
//!   of disintegration (R1).
//! - [`communities`]: the communities one by one (communities.csv): survival by founding cohort
//!   and the spread of grant money across communities.
//! - [`sections`], [`sweep_sections`], [`screening`]: the figure sections, each choosing its
//!   figures by the number of design points.
//! - [`distributions`], [`km`], [`series`], [`sweep`], [`sobol`], [`morris`]: one kind of
//!   figure each.
//! - [`plot`], [`page`], [`labels`]: shared drawing, HTML and units.
//! - [`calibration`]: the page of a `commsim calibrate` folder instead.

pub mod calibration;
pub mod communities;
pub mod comparison;
pub mod data;
pub mod distributions;
pub mod km;
pub mod labels;
pub mod morris;
pub mod page;
pub mod plot;
pub mod provenance;
pub mod scorecard;
pub mod screening;
pub mod sections;
pub mod series;
pub mod sobol;
pub mod sweep;
pub mod sweep_sections;
pub mod waves;

use crate::scenario::{parse_str, Scenario};
use page::Section;

/// The texts of a finished run's files.
pub struct Inputs<'a> {
    /// Where the files come from, as the page should name it.
    pub folder: &'a str,
    pub manifest: &'a str,
    pub runs: &'a str,
    pub survival: Option<&'a str>,
    pub timeseries: Option<&'a str>,
    /// differences.csv of `commsim compare`.
    pub differences: Option<&'a str>,
    /// communities.csv, with `output.communities`.
    pub communities: Option<&'a str>,
}

/// Everything the sections need, read once.
pub struct Run {
    pub manifest: serde_json::Value,
    pub scenario: Scenario,
    pub runs: data::Runs,
}

/// Points up to this many get figures of their own (survival by point, series by point).
pub const MAX_POINTS_APART: usize = 4;

/// The report page. Errors name the file and what is wrong with it.
pub fn render(inputs: &Inputs) -> Result<String, String> {
    let manifest: serde_json::Value = serde_json::from_str(inputs.manifest)
        .map_err(|e| format!("manifest.json is not valid JSON: {e}"))?;
    let resolved = manifest["resolved_scenario"]
        .as_str()
        .ok_or("manifest.json: no resolved_scenario")?;
    let scenario =
        parse_str(resolved, "manifest.json (resolved_scenario)").map_err(|e| e.to_string())?;
    if inputs.timeseries.is_none() && scenario.values.flag("output.timeseries") {
        return Err("has no timeseries.csv, which the run wrote (output.timeseries = true); allowed: the folder of a finished run".into());
    }
    let runs = data::Runs::from_csv(inputs.runs)?;
    let run = Run {
        manifest,
        scenario,
        runs,
    };
    let mut parts: Vec<Section> = vec![provenance::section(&run, inputs.folder)];
    if let Some(text) = inputs.differences {
        parts.push(comparison::differences(&run, text)?);
    }
    if !run.scenario.shocks.is_empty() {
        parts.push(scorecard::section(&run));
    }
    if let Some(section) = comparison::crisis(&run) {
        parts.push(section);
    }
    if let Some(section) = waves::section(&run) {
        parts.push(section);
    }
    parts.push(sections::outcomes(&run));
    match inputs.survival {
        Some(text) => {
            let counts = data::survival_from_csv(text, run.runs.points())?;
            parts.push(sections::survival(&run, &counts)?);
        }
        None if run.scenario.values.flag("output.survival") => {
            return Err("has no survival.csv, which the run wrote (output.survival = true); allowed: the folder of a finished run".into());
        }
        None => parts.push(Section {
            id: "survival",
            title: "Survival of communities by type".into(),
            body: "<p class=\"note\">No figures: the run did not write survival.csv \
                   (<code>output.survival = false</code>).</p>\n"
                .into(),
        }),
    }
    match inputs.communities {
        Some(text) => parts.push(communities::section(&run, text)?),
        None if run.scenario.values.flag("output.communities") => {
            return Err("has no communities.csv, which the run wrote (output.communities = true); allowed: the folder of a finished run".into());
        }
        None => {}
    }
    if let Some(text) = inputs.timeseries {
        let pool = run.runs.points() > MAX_POINTS_APART;
        let series = data::series_from_csv(text, run.runs.points(), pool)?;
        parts.push(sections::series(&run, &series));
    }
    if !run.runs.swept_keys.is_empty() && run.runs.points() > 1 && inputs.differences.is_none() {
        parts.push(sweep_sections::sweep(&run));
    }
    if let Some(section) = sweep_sections::sensitivity(&run)? {
        parts.push(section);
    }
    let name = run.scenario.name().to_string();
    let subtitle = format!(
        "Scenario <code>{}</code>: {} × {}. Every figure is drawn from \
         the files in <code>{}</code>; nothing on this page is fetched from elsewhere.",
        page::escape(&name),
        page::plural(run.runs.points() as u64, "design point", "design points"),
        page::plural(
            run.manifest["replicates"].as_u64().unwrap_or(0),
            "replicate",
            "replicates"
        ),
        page::escape(inputs.folder)
    );
    Ok(page::page(
        &format!("commsim report: {name}"),
        &subtitle,
        &parts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest of a default run without survival.csv (`output.survival = false`).
    fn manifest() -> String {
        let mut scenario = Scenario::default();
        crate::scenario::apply_set(&mut scenario, "output.survival=false").unwrap();
        serde_json::json!({
            "program": "commsim",
            "resolved_scenario": scenario.to_toml(),
            "replicates": 3,
        })
        .to_string()
    }

    #[test]
    fn a_page_names_its_sections_and_the_outcomes_without_values() {
        let runs = "point,replicate,seed,survival,crisis_dissolution\n0,0,1,0.9,\n0,1,2,0.8,\n0,2,3,0.85,\n";
        let html = render(&Inputs {
            folder: "results/<x>",
            manifest: &manifest(),
            runs,
            survival: None,
            timeseries: None,
            differences: None,
            communities: None,
        })
        .unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<section id=\"provenance\">"));
        assert!(html.contains("id=\"dist-survival\""));
        assert!(!html.contains("id=\"dist-crisis_dissolution\""));
        assert!(
            html.contains("Undefined in every run (no figure): <code>crisis_dissolution</code>")
        );
        // No shock in the default scenario: no scorecard; no wave column, no waves section; the
        // folder name is escaped.
        assert!(!html.contains("id=\"patterns\""));
        assert!(!html.contains("id=\"waves\""));
        assert!(html.contains("results/&lt;x&gt;"));
        assert!(html.contains("the run did not write survival.csv"));
    }

    #[test]
    fn damaged_inputs_are_named() {
        let bad = |manifest: &str, runs: &str| {
            render(&Inputs {
                folder: "f",
                manifest,
                runs,
                survival: None,
                timeseries: None,
                differences: None,
                communities: None,
            })
            .unwrap_err()
        };
        assert!(bad("{", "").contains("manifest.json is not valid JSON"));
        assert!(bad("{}", "").contains("no resolved_scenario"));
        assert!(bad(&manifest(), "point,replicate,seed,survival\n").contains("runs.csv: no runs"));
        let with_series = serde_json::json!({
            "resolved_scenario": "[output]\ntimeseries = true\n",
            "replicates": 1,
        })
        .to_string();
        assert!(bad(&with_series, "").contains("has no timeseries.csv"));
        let default = serde_json::json!({
            "resolved_scenario": Scenario::default().to_toml(),
            "replicates": 1,
        })
        .to_string();
        let runs = "point,replicate,seed,survival\n0,0,1,0.5\n";
        assert!(bad(&default, runs).contains("has no survival.csv"));
    }
}
