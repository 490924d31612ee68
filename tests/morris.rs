//! Morris screening end to end: a `morris` sweep's design, its runs, `commsim analyze` and the
//! report's section, and the Morris options that are refused.

mod common;
use common::command::*;

/// The crisis scenario in `dir/name` with a sweep of three ranges; `sweep` holds the lines of
/// `[sweep]` before its parameters.
fn swept(dir: &std::path::Path, name: &str, sweep: &str) -> String {
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    let text = format!(
        "{base}\n[sweep]\n{sweep}\n[sweep.parameters]\n\
         \"grants.budget\" = {{ min = 0.0, max = 600.0 }}\n\
         \"administration.openness\" = {{ min = 0.1, max = 0.9 }}\n\
         \"community.recognition\" = {{ min = 0.1, max = 0.9 }}\n"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The crisis scenario with a Morris sweep of three parameters (`options` go into `[sweep]`).
fn morris_scenario(dir: &std::path::Path, options: &str) -> String {
    swept(
        dir,
        "morris.toml",
        &format!("design = \"morris\"\n{options}"),
    )
}

#[test]
fn a_morris_sweep_is_designed_run_analysed_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let file = morris_scenario(tmp.path(), "trajectories = 4\nlevels = 4\ncandidates = 9");
    let design = commsim(&["design", &file], tmp.path());
    assert!(design.status.success(), "{}", text(&design.stderr));
    let design = text(&design.stdout);
    // r (k + 1) points, trajectory by trajectory: each step moves one parameter.
    let rows: Vec<Vec<String>> = design
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 4 * (3 + 1));
    for trajectory in rows.chunks(4) {
        for step in trajectory.windows(2) {
            let changed = (0..3).filter(|&i| step[0][i] != step[1][i]).count();
            assert_eq!(changed, 1, "{step:?}");
        }
    }
    let out = run_reduced(tmp.path(), &file, "out", "2", &["--report"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let analyzed = commsim(&["analyze", "out", "--quiet"], tmp.path());
    assert!(analyzed.status.success(), "{}", text(&analyzed.stderr));
    let csv = std::fs::read_to_string(tmp.path().join("out/sensitivity.csv")).unwrap();
    assert!(
        csv.starts_with(
            "outcome,parameter,mu,mu_star,sigma,mu_star_conf,replicate_noise,trajectories\n"
        ),
        "{csv}"
    );
    let grant_rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("grant_money,"))
        .collect();
    assert_eq!(grant_rows.len(), 3);
    for row in &grant_rows {
        let cells: Vec<&str> = row.split(',').collect();
        let (mu, mu_star): (f64, f64) = (cells[2].parse().unwrap(), cells[3].parse().unwrap());
        assert!(mu_star >= mu.abs() - 1e-9, "{row}");
        assert_eq!(cells[7], "4");
    }
    let html = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap();
    assert!(html.contains("<section id=\"sensitivity\">"));
    assert!(html.contains("Screening (Morris elementary effects)"));
    assert!(html.contains("id=\"morris-grant_money\""));
    assert!(html.contains("million roubles per range"));
    assert!(html.contains("4 trajectories, the most spread of 9 drawn, on a grid of 4 levels"));
    // The same folder analysed again gives the same bytes (the bootstrap is seeded).
    let again = commsim(&["analyze", "out", "--quiet"], tmp.path());
    assert!(again.status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out/sensitivity.csv")).unwrap(),
        csv
    );
}

#[test]
fn trajectories_can_be_set_and_are_kept_in_the_resolved_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let file = morris_scenario(tmp.path(), "");
    let design = commsim(&["design", &file], tmp.path());
    assert_eq!(text(&design.stdout).lines().count(), 1 + 10 * 4);
    let set = ["--set", "sweep.trajectories=5", "--set", "sweep.levels=6"];
    let mut args = vec!["design", file.as_str()];
    args.extend(set);
    let design = commsim(&args, tmp.path());
    assert!(design.status.success(), "{}", text(&design.stderr));
    assert_eq!(text(&design.stdout).lines().count(), 1 + 5 * 4);
    let mut args = vec!["check", file.as_str()];
    args.extend(set);
    let check = commsim(&args, tmp.path());
    assert!(check.status.success(), "{}", text(&check.stderr));
    let resolved = text(&check.stdout);
    assert!(
        resolved.contains("design = \"morris\"\ntrajectories = 5\nlevels = 6\n"),
        "{resolved}"
    );
}

#[test]
fn bad_morris_options_exit_2_naming_the_key_and_what_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &[&str])] = &[
        ("design = \"morris\"\nlevels = 3", "sweep.levels", &["even"]),
        (
            "design = \"morris\"\nlevels = 0",
            "sweep.levels",
            &["from 2 to 1000"],
        ),
        (
            "design = \"morris\"\ntrajectories = 1",
            "sweep.trajectories",
            &["from 2"],
        ),
        (
            "design = \"morris\"\ntrajectories = 10\ncandidates = 10",
            "sweep.candidates",
            &["more candidates than trajectories"],
        ),
        (
            "design = \"morris\"\ncandidates = 1001",
            "sweep.candidates",
            &["from 3 to 1000"],
        ),
        (
            "design = \"morris\"\nsamples = 16",
            "sweep.samples",
            &["sweep.trajectories with design morris"],
        ),
        (
            "design = \"morris\"\nsecond_order = true",
            "sweep.second_order",
            &["only with design = \"sobol\""],
        ),
        (
            "design = \"sobol\"\ntrajectories = 4",
            "sweep.trajectories",
            &["only with design = \"morris\""],
        ),
        (
            "design = \"lhs\"\nlevels = 4",
            "sweep.levels",
            &["only with design = \"morris\""],
        ),
        (
            "design = \"morris\"\ntrajectories = \"ten\"",
            "sweep.trajectories",
            &["a whole number"],
        ),
    ];
    for (sweep, key, expect) in cases {
        let file = swept(tmp.path(), "bad.toml", sweep);
        let out = commsim(&["check", &file], tmp.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{sweep}: {err}");
        assert!(
            err.contains("bad.toml:") && err.contains(key),
            "{sweep}: {err}"
        );
        for e in *expect {
            assert!(err.contains(e), "{sweep}: {err}");
        }
    }
    // --set of a Morris option: only on a morris sweep, and only allowed values.
    let sobol = scenario("sweep-sobol.toml");
    let file = morris_scenario(tmp.path(), "");
    for (file, set, expect) in [
        (
            &sobol,
            "sweep.trajectories=4",
            "design sobol has no trajectories",
        ),
        (&file, "sweep.levels=5", "an even whole number"),
        (&file, "sweep.samples=8", "design morris has no samples"),
        (
            &file,
            "sweep.candidates=4",
            "more candidates than trajectories",
        ),
    ] {
        let out = commsim(&["check", file, "--set", set], tmp.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains(expect), "{set}: {err}");
    }
}
