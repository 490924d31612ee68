//! What the report writes beside a number: the unit of every outcome and monthly series, the
//! family an outcome belongs to, and the unit of a swept parameter (from the registry).

use crate::params::{index_of, registry};

/// The families of outcomes, in the order the report shows them.
pub const FAMILIES: [&str; 12] = [
    "Communities and survival",
    "Crisis dissolution",
    "Stances towards the administration",
    "Grants and external money",
    "Development of territories",
    "Crisis losses by territory class",
    "Planning horizon and expectations",
    "Composition of activity",
    "Residents and participation",
    "Ties between communities and to stakeholders",
    "The study's waves and its sample (R1)",
    "Crisis outcomes in excess of the no-shock twin (run minus twin, same streams)",
];

/// The family (index into `FAMILIES`) and unit of an outcome of runs.csv.
pub fn outcome(name: &str) -> (usize, &'static str) {
    if let Some(base) = name.strip_suffix("_excess") {
        return (11, outcome(base).1);
    }
    let starts = |p: &str| name.starts_with(p);
    if let Some((_, o)) = name
        .strip_prefix("wave")
        .and_then(|rest| rest.split_once('_'))
    {
        let unit = match o {
            "activity" => "relative to the pre-shock level",
            "horizon" => "months",
            "expectation" => "expectation (index)",
            "alive" | "signal" => "share of the wave-1 cohort",
            _ => "share of activity",
        };
        return (10, unit);
    }
    match name {
        "r1_sample" => (10, "communities"),
        "r1_signals" => (10, "communities of the sample"),
        "communities_start" | "communities_end" | "formed" | "dissolved" => (0, "communities"),
        "grant_applications" => (3, "applications"),
        "grants_won" => (3, "awards"),
        "grant_money" | "external_money" | "partner_money" | "grant_max_award" => {
            (3, "million roubles")
        }
        "grant_top_share" | "grant_coapplied_share" => (3, "share of grant money"),
        "prophecy_positive" => (6, "share of communities"),
        "admin_changes" => (8, "changes of head"),
        "newcomer_participation" => (8, "share of newcomers"),
        "tie_diversity_start" | "tie_diversity_end" => (9, "diversity (0-1)"),
        "isolated_share" => (9, "share of communities"),
        _ if starts("ties_") => (9, "edges per community"),
        "members_start" | "members_end" | "residents_start" | "residents_end" | "youth_left" => {
            (8, "inhabitants")
        }
        _ if starts("survival") => (0, "share of communities"),
        _ if starts("crisis_dissolution") => (1, "share of communities"),
        _ if starts("stance_") => (2, "share of community-months"),
        _ if starts("development_gain_") => (4, "change of index (0-1)"),
        _ if starts("economy_drop_") || starts("activity_drop_") => (5, "relative fall (share)"),
        _ if starts("economy_level_") => (5, "output per inhabitant"),
        _ if starts("firms_closed_") => (5, "share of firms"),
        _ if starts("horizon_") => (6, "months"),
        _ if starts("expectation_") => (6, "expectation (index)"),
        _ if starts("volunteer_share") || starts("commercial_share") || starts("online_share") => {
            (7, "share of activity")
        }
        _ => (8, ""),
    }
}

/// The unit of a monthly series of timeseries.csv.
pub fn series(name: &str) -> &'static str {
    let starts = |p: &str| name.starts_with(p);
    match name {
        "communities" => "communities",
        "members" | "residents" => "inhabitants",
        "horizon" => "months",
        "expectation" => "expectation (index)",
        "development" => "mean index D1-D6 (0-1)",
        "shock_intensity" => "intensity (0-1)",
        _ if starts("activity") => "person-months",
        _ if name.ends_with("_share") => "share of activity",
        _ if starts("stance_") => "share of communities",
        _ if starts("economy_") => "economy index x inhabitants",
        _ => "",
    }
}

/// "name (unit)" for an axis, or the name alone when there is no unit.
pub fn axis(name: &str, unit: &str) -> String {
    // An excess column's figure is titled by its name; the axis says what the number is.
    let name = if name.ends_with("_excess") {
        "run minus no-shock twin"
    } else {
        name
    };
    if unit.is_empty() || unit == name {
        name.to_string()
    } else {
        format!("{name} ({unit})")
    }
}

/// The unit of a parameter key, as `commsim params` gives it.
pub fn parameter(key: &str) -> &'static str {
    index_of(key)
        .map(|i| registry()[i].unit)
        .or_else(|| crate::scenario::shock_field_doc(key).map(|(unit, _)| unit))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observe::Observer;
    use crate::model::outcomes;

    #[test]
    fn every_outcome_and_series_has_a_unit() {
        for name in outcomes::names() {
            assert!(!outcome(&name).1.is_empty(), "outcome {name} has no unit");
        }
        for name in Observer::series_names() {
            assert!(!series(&name).is_empty(), "series {name} has no unit");
        }
    }
}
