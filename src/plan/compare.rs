//! The plan of `commsim compare A B`: two design points, A (point 0) and B (point 1), run on
//! common random numbers, so replicate r of B differs from replicate r of A only through what B
//! changes. The columns of runs.csv after `seed` are the keys whose values differ.

use super::Plan;
use crate::error::InputError;
use crate::params::Value;
use crate::scenario::{Scenario, SHOCK_FIELDS};

/// Whether B takes key `key` from A: the seed and replicates (one set of runs is paired), the
/// reading of the burn-in and its reference (one present: A and B reach month 0 in the same
/// state, and B's own values take effect there as A's do) and the output switches (one set of
/// files). Each keeps its name, which is no parameter.
pub fn takes_from_a(key: &str) -> bool {
    matches!(
        key,
        "run.seed" | "run.replicates" | "run.reference" | "run.burn_in_under"
    ) || key.starts_with("output.")
}

impl Plan {
    /// The comparison of scenario `b` with scenario `a`. Neither may have a sweep, and both
    /// must run the same months; B takes [`takes_from_a`]'s keys from A, with a note where its
    /// own value differed.
    pub fn compare(a: Scenario, mut b: Scenario) -> Result<Plan, InputError> {
        for s in [&a, &b] {
            if let Some(sweep) = &s.sweep {
                return Err(InputError::key(
                    s.location_of("sweep.design"),
                    "sweep",
                    format!(
                        "the scenario has a [sweep] (design {}); `compare` pairs two scenarios; allowed: two scenarios without [sweep] (to pair the points of a sweep, set sweep.common_random_numbers = true)",
                        sweep.design.name()
                    ),
                ));
            }
        }
        let (months_a, months_b) = (a.values.whole("run.months"), b.values.whole("run.months"));
        if months_a != months_b {
            return Err(InputError::key(
                b.location_of("run.months"),
                "run.months",
                format!(
                    "B runs {months_b} months and A {months_a}: outcomes over different horizons cannot be paired; allowed: the same run.months in both (--set run.months=N sets both)"
                ),
            ));
        }
        let mut notes = Vec::new();
        // A's reference, as A's folder resolves it.
        b.reference = a.reference.clone();
        for (spec, value) in a.values.iter() {
            if takes_from_a(&spec.key) && b.values.get(&spec.key) != value {
                notes.push(format!(
                    "B's {} = {} is not used: B runs with A's {}",
                    spec.key,
                    b.values.get(&spec.key),
                    value
                ));
                b.values
                    .set(&spec.key, value.clone())
                    .expect("A's value is valid for the key");
            }
        }
        let mut keys = Vec::new();
        let mut points: [Vec<Value>; 2] = [Vec::new(), Vec::new()];
        let mut differ = |key: String, x: Value, y: Value| {
            if x != y {
                keys.push(key);
                points[0].push(x);
                points[1].push(y);
            }
        };
        for ((spec, x), (_, y)) in a.values.iter().zip(b.values.iter()) {
            if spec.key != "name" {
                differ(spec.key.clone(), x.clone(), y.clone());
            }
        }
        if a.shocks.len() == b.shocks.len() {
            for (i, (sa, sb)) in a.shocks.iter().zip(&b.shocks).enumerate() {
                for field in SHOCK_FIELDS {
                    if let (Some(x), Some(y)) = (sa.get(field), sb.get(field)) {
                        differ(format!("shocks.{i}.{field}"), x, y);
                    }
                }
                if sa.profile != sb.profile {
                    notes.push(format!(
                        "shocks.{i}.profile differs (A {:?}, B {:?}); runs.csv has no column for it",
                        sa.profile, sb.profile
                    ));
                }
            }
        } else {
            notes.push(format!(
                "A has {} and B {}: the shock schedules differ beyond runs.csv's columns (manifest.json holds both scenarios)",
                crate::report::page::plural(a.shocks.len() as u64, "shock", "shocks"),
                crate::report::page::plural(b.shocks.len() as u64, "shock", "shocks")
            ));
        }
        if keys.is_empty() && a.shocks == b.shocks {
            notes.push("B equals A in every parameter: every difference is 0".into());
        }
        b.validate()?;
        let mut plan = Plan::new(a)?;
        plan.swept_keys = keys;
        plan.points = points.into();
        plan.compared = Some(b);
        plan.notes = notes;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_str;

    const SHOCK: &str = "[[shocks]]\nstart_month = 12\nduration_months = 6\nkind = \"pandemic\"\n";

    fn scenario(text: &str) -> Scenario {
        parse_str(text, "<test>").unwrap()
    }

    #[test]
    fn the_columns_are_the_keys_that_differ_and_b_takes_a_s_seed() {
        let a = scenario(&format!(
            "name = \"a\"\n[run]\nseed = 1\n{SHOCK}severity = 0.5\n"
        ));
        let b = scenario(&format!(
            "name = \"b\"\n[run]\nseed = 9\n[policy]\ntraining = 1.0\n{SHOCK}severity = 0.7\n"
        ));
        let plan = Plan::compare(a, b).unwrap();
        assert_eq!(plan.swept_keys, ["policy.training", "shocks.0.severity"]);
        assert_eq!(
            plan.points,
            [
                vec![Value::Real(0.0), Value::Real(0.5)],
                vec![Value::Real(1.0), Value::Real(0.7)]
            ]
        );
        let b = plan.point_scenario(1).unwrap();
        assert_eq!(b.values.whole("run.seed"), 1);
        assert_eq!(b.name(), "b");
        assert!(plan.seeding().common_random_numbers);
        assert!(plan.warnings().iter().any(|w| w.contains("run.seed = 9")));
        assert!(plan.identity().contains("training = 1.0"));
    }

    #[test]
    fn b_starts_from_a_s_present() {
        let b = scenario("[run]\nburn_in_under = \"scenario\"\nreference = \"other.toml\"\n");
        let plan = Plan::compare(scenario(""), b).unwrap();
        assert!(plan.swept_keys.is_empty(), "{:?}", plan.swept_keys);
        for key in ["run.burn_in_under", "run.reference"] {
            assert!(
                plan.warnings()
                    .iter()
                    .any(|w| w.contains(&format!("B's {key}"))),
                "{:?}",
                plan.warnings()
            );
        }
        let b = plan.point_scenario(1).unwrap();
        assert_eq!(b.values.text("run.burn_in_under"), "reference");
        assert!(b.reference.is_none());
    }

    #[test]
    fn sweeps_and_different_horizons_are_refused() {
        let a = scenario("");
        let swept =
            scenario("[sweep]\ndesign = \"grid\"\nparameters.\"policy.training\" = [0.0, 1.0]\n");
        let e = Plan::compare(a.clone(), swept).err().unwrap().to_string();
        assert!(e.contains("[sweep]"), "{e}");
        let longer = scenario("[run]\nmonths = 30\n");
        let e = Plan::compare(a, longer).err().unwrap().to_string();
        assert!(e.contains("run.months") && e.contains("<test>:2:"), "{e}");
    }

    #[test]
    fn a_different_shock_schedule_is_noted() {
        let plan =
            Plan::compare(scenario(""), scenario(&format!("{SHOCK}severity = 0.5\n"))).unwrap();
        assert!(plan.swept_keys.is_empty());
        assert!(plan
            .warnings()
            .iter()
            .any(|w| w.contains("A has 0 shocks and B 1 shock")));
        // B's own shocks are checked against the horizon too, however many A has.
        let late = "[[shocks]]\nstart_month = 40\nduration_months = 12\nseverity = 0.5\nkind = \"pandemic\"\n";
        let plan = Plan::compare(scenario(""), scenario(late)).unwrap();
        assert!(
            plan.warnings().iter().any(
                |w| w.contains("shocks.0") && w.contains("at 1 of 2 design points (at point 1")
            ),
            "{:?}",
            plan.warnings()
        );
        let same = Plan::compare(scenario(""), scenario("")).unwrap();
        assert!(same.warnings().iter().any(|w| w.contains("B equals A")));
    }
}
