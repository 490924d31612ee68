//! Printing a resolved scenario as TOML that parses back to the same scenario.

use super::{Scenario, SweepValues};
use crate::params::Value;

impl Scenario {
    /// Every key with its resolved value, grouped in tables, followed by shocks and the sweep.
    pub fn to_toml(&self) -> String {
        // Group keys by table, tables in order of first appearance, so each table appears once.
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for (spec, value) in self.values.iter() {
            let (table, leaf) = spec.key.rsplit_once('.').unwrap_or(("", spec.key.as_str()));
            let line = format!("{leaf} = {value}\n");
            match tables.iter_mut().find(|(t, _)| t == table) {
                Some((_, lines)) => lines.push(line),
                None => tables.push((table.to_string(), vec![line])),
            }
        }
        let mut out = String::new();
        for (table, lines) in tables {
            if !table.is_empty() {
                out.push_str(&format!("\n[{table}]\n"));
            }
            out.extend(lines);
        }
        for shock in &self.shocks {
            out.push_str("\n[[shocks]]\n");
            out.push_str(&shock.render());
        }
        if let Some(sweep) = &self.sweep {
            out.push_str(&format!(
                "\n[sweep]\ndesign = \"{}\"\n",
                sweep.design.name()
            ));
            // Only sampled designs have samples (a grid or file design refuses the key).
            if matches!(sweep.design, super::Design::Lhs | super::Design::Sobol) {
                out.push_str(&format!("samples = {}\n", sweep.samples));
            }
            if sweep.common_random_numbers {
                out.push_str("common_random_numbers = true\n");
            }
            if sweep.second_order {
                out.push_str("second_order = true\n");
            }
            // Only design morris reads its options (any other design refuses them).
            if sweep.design == super::Design::Morris {
                out.push_str(&format!(
                    "trajectories = {}\nlevels = {}\n",
                    sweep.trajectories, sweep.levels
                ));
                if let Some(m) = sweep.candidates {
                    out.push_str(&format!("candidates = {m}\n"));
                }
            }
            if let Some(file) = &sweep.file {
                out.push_str(&format!(
                    "file = {}\n",
                    crate::params::value::toml_string(file)
                ));
            }
            out.push_str("\n[sweep.parameters]\n");
            for (key, values) in &sweep.parameters {
                let rendered = match values {
                    SweepValues::List(vs) => {
                        let items: Vec<String> = vs.iter().map(Value::to_string).collect();
                        format!("[{}]", items.join(", "))
                    }
                    SweepValues::Range { min, max } => {
                        format!(
                            "{{ min = {}, max = {} }}",
                            Value::Real(*min),
                            Value::Real(*max)
                        )
                    }
                };
                out.push_str(&format!("\"{key}\" = {rendered}\n"));
            }
        }
        if let Some(calibrate) = &self.calibrate {
            out.push_str(&calibrate.render());
        }
        out.trim_start().to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{apply_set, parse_str};

    #[test]
    fn rendered_toml_reads_back_identically() {
        let mut s = parse_str("name = \"x\"\n[[shocks]]\nstart_month = 3\nduration_months = 4\nseverity = 0.5\nkind = \"pandemic\"\nprofile = [1, 0.5]\n", "a.toml").unwrap();
        apply_set(&mut s, "community.recognition=0.25").unwrap();
        let back = parse_str(&s.to_toml(), "b.toml").unwrap();
        assert_eq!(back.values, s.values);
        assert_eq!(back.shocks, s.shocks);
    }

    #[test]
    fn a_seed_beyond_toml_integers_is_written_as_digits_and_reads_back() {
        let mut s = parse_str("[run]\nseed = \"18446744073709551615\"\n", "a.toml").unwrap();
        assert_eq!(s.values.whole("run.seed"), u64::MAX);
        apply_set(&mut s, "run.seed=9223372036854775808").unwrap();
        let rendered = s.to_toml();
        assert!(
            rendered.contains("seed = \"9223372036854775808\""),
            "{rendered}"
        );
        let back = parse_str(&rendered, "b.toml").unwrap();
        assert_eq!(back.values.whole("run.seed"), 9_223_372_036_854_775_808);
        let e = parse_str("[run]\nseed = 9223372036854775808\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml:2:8:") && e.contains("as a string of digits"),
            "{e}"
        );
    }

    #[test]
    fn a_morris_sweep_reads_back_identically() {
        let text = "[sweep]\ndesign = \"morris\"\ntrajectories = 6\nlevels = 6\ncandidates = 20\n[sweep.parameters]\n\"grants.budget\" = { min = 0.0, max = 600.0 }\n";
        let mut s = parse_str(text, "a.toml").unwrap();
        apply_set(&mut s, "sweep.trajectories=8").unwrap();
        let rendered = s.to_toml();
        assert!(
            rendered.contains("trajectories = 8\nlevels = 6\ncandidates = 20\n"),
            "{rendered}"
        );
        let back = parse_str(&rendered, "b.toml").unwrap();
        assert_eq!(back.sweep, s.sweep);
        assert_eq!(back.to_toml(), rendered);
    }
}
