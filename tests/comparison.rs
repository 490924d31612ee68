//! Experiments that compare: with common random numbers, replicate r of every design point runs
//! on the same seed, so points can be compared run by run.

mod common;

use common::command::*;

fn rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn common_random_numbers_give_each_replicate_one_seed_at_every_point() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    let sweep = |crn: &str| {
        format!("{base}\n[sweep]\ndesign = \"grid\"\n{crn}[sweep.parameters]\n\"grants.budget\" = [10.0, 40.0, 80.0]\n")
    };
    std::fs::write(dir.join("independent.toml"), sweep("")).unwrap();
    std::fs::write(
        dir.join("common.toml"),
        sweep("common_random_numbers = true\n"),
    )
    .unwrap();
    for (file, out) in [("independent.toml", "i"), ("common.toml", "c")] {
        let o = run_reduced(dir, file, out, "3", &[]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let common = rows(&dir.join("c/runs.csv"));
    let independent = rows(&dir.join("i/runs.csv"));
    // Columns: point, replicate, seed, grants.budget, outcomes...
    for row in &common {
        let first = common
            .iter()
            .find(|r| r[0] == "0" && r[1] == row[1])
            .unwrap();
        assert_eq!(row[2], first[2], "replicate {} has one seed", row[1]);
    }
    let seeds: std::collections::HashSet<&String> = independent.iter().map(|r| &r[2]).collect();
    assert_eq!(
        seeds.len(),
        independent.len(),
        "independent seeds are all distinct"
    );
    // Point 0 is the same run either way; the other points differ in their seeds only.
    assert_eq!(common[..3], independent[..3]);
    assert_ne!(common[3][2], independent[3][2]);
    let check = commsim(&["check", "common.toml"], dir);
    assert!(text(&check.stdout).contains("common_random_numbers = true"));
}
