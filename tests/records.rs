//! communities.csv and territories.csv (`output.communities`, `output.territories`): off by
//! default; their rows add up to the region's totals in runs.csv, run by run; they change no
//! run; they are the same bytes on 1 and 2 threads, compressed (the plain text gzipped) and after
//! an interrupted run is resumed; `check` sizes them; a sweep cannot vary them; the report shows
//! the communities when the file is there.

mod common;

use common::command::{commsim, run_reduced, run_small_n, scenario, text};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

const ON: [&str; 4] = [
    "--set",
    "output.communities=true",
    "--set",
    "output.territories=true",
];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn gunzip(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A CSV file as rows of cells by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The rows of each run, by (point, replicate).
    fn by_run(&self) -> BTreeMap<(u64, u64), Vec<&Vec<String>>> {
        let mut runs: BTreeMap<(u64, u64), Vec<&Vec<String>>> = BTreeMap::new();
        for row in &self.rows {
            let key = (row[0].parse().unwrap(), row[1].parse().unwrap());
            runs.entry(key).or_default().push(row);
        }
        runs
    }
}

fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("`{cell}` is not a number"))
}

/// The sum of a column over rows.
fn sum(table: &Table, rows: &[&Vec<String>], name: &str) -> f64 {
    let c = table.col(name);
    rows.iter().map(|r| num(&r[c])).sum()
}

fn count(table: &Table, rows: &[&Vec<String>], name: &str, value: &str) -> usize {
    let c = table.col(name);
    rows.iter().filter(|r| r[c] == value).count()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        "{what}: {a} against {b}"
    );
}

#[test]
fn records_add_up_to_the_region_s_totals_of_each_run() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_small_n(tmp.path(), "on", "6", &ON);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tmp.path().join("on");
    let runs = Table::read(&dir.join("runs.csv"));
    let communities = Table::read(&dir.join("communities.csv"));
    let territories = Table::read(&dir.join("territories.csv"));
    let by_community = communities.by_run();
    let by_territory = territories.by_run();
    assert_eq!(runs.rows.len(), 6);
    assert_eq!(by_community.len(), 6, "every run has communities");
    assert_eq!(by_territory.len(), 6);
    let mut dissolved_somewhere = false;
    for run in &runs.rows {
        let key = (num(&run[0]) as u64, num(&run[1]) as u64);
        let outcome = |name: &str| num(&run[runs.col(name)]);
        let c = &by_community[&key];
        let t = &by_territory[&key];
        let seed = |rows: &[&Vec<String>]| rows.iter().all(|r| r[2] == run[2]);
        assert!(
            seed(c) && seed(t),
            "run {key:?}: the run's seed on every row"
        );
        let (alive, dissolved) = (
            count(&communities, c, "status", "alive"),
            count(&communities, c, "status", "dissolved"),
        );
        let initial = count(&communities, c, "initial", "true");
        assert_eq!(alive + dissolved, c.len(), "alive or dissolved");
        dissolved_somewhere |= dissolved > 0;
        // The community rows against runs.csv.
        let ctx = format!("run {key:?}");
        assert_eq!(initial as f64, outcome("communities_start"), "{ctx}");
        assert_eq!(alive as f64, outcome("communities_end"), "{ctx}");
        assert_eq!((c.len() - initial) as f64, outcome("formed"), "{ctx}");
        assert_eq!(dissolved as f64, outcome("dissolved"), "{ctx}");
        assert_eq!(
            sum(&communities, c, "members_end"),
            outcome("members_end"),
            "{ctx}"
        );
        let at_start: Vec<&Vec<String>> = c
            .iter()
            .copied()
            .filter(|r| r[communities.col("initial")] == "true")
            .collect();
        assert_eq!(
            sum(&communities, &at_start, "members_start"),
            outcome("members_start"),
            "{ctx}"
        );
        let initial_alive = count(&communities, &at_start, "status", "alive");
        assert_eq!(
            initial_alive as f64 / initial as f64,
            outcome("survival"),
            "{ctx}"
        );
        for (column, name) in [
            ("grant_applications", "grant_applications"),
            ("grants_won", "grants_won"),
        ] {
            assert_eq!(sum(&communities, c, column), outcome(name), "{ctx} {name}");
        }
        close(
            sum(&communities, c, "grant_money"),
            outcome("grant_money"),
            &format!("{ctx} grant_money"),
        );
        let months: Vec<f64> = ["integration", "neutrality", "confrontation"]
            .iter()
            .map(|s| sum(&communities, c, &format!("months_{s}")))
            .collect();
        let total: f64 = months.iter().sum();
        for (s, m) in ["integration", "neutrality", "confrontation"]
            .iter()
            .zip(&months)
        {
            assert_eq!(m / total, outcome(&format!("stance_{s}")), "{ctx} {s}");
        }
        let living: Vec<&Vec<String>> = c
            .iter()
            .copied()
            .filter(|r| r[communities.col("status")] == "alive")
            .collect();
        for kind in [
            "community",
            "firm",
            "outside",
            "administration",
            "programme",
        ] {
            let name = format!("ties_{kind}");
            assert_eq!(
                sum(&communities, &living, &name) / living.len() as f64,
                outcome(&name),
                "{ctx} {name}"
            );
            let col = communities.col(&name);
            assert!(
                c.iter()
                    .filter(|r| r[communities.col("status")] == "dissolved")
                    .all(|r| r[col].is_empty()),
                "a dissolved community has no ties"
            );
        }
        // The territory rows against runs.csv.
        for (column, name) in [
            ("communities_start", "communities_start"),
            ("communities_end", "communities_end"),
            ("communities_founded", "formed"),
            ("communities_dissolved", "dissolved"),
            ("members_start", "members_start"),
            ("members_end", "members_end"),
            ("population_start", "residents_start"),
            ("population_end", "residents_end"),
        ] {
            assert_eq!(
                sum(&territories, t, column),
                outcome(name),
                "{ctx} {column}"
            );
        }
        for class in ["village", "small_town", "large_city"] {
            let of_class: Vec<&Vec<String>> = t
                .iter()
                .copied()
                .filter(|r| r[territories.col("class")] == class)
                .collect();
            let at_risk = sum(&territories, &of_class, "firms_at_shock");
            let closed = sum(&territories, &of_class, "firms_closed_in_shock");
            assert_eq!(
                closed / at_risk,
                outcome(&format!("firms_closed_{class}")),
                "{ctx} {class}"
            );
            let gain: f64 = of_class
                .iter()
                .map(|r| {
                    num(&r[territories.col("development_end")])
                        - num(&r[territories.col("development_start")])
                })
                .sum::<f64>()
                / of_class.len() as f64;
            close(
                gain,
                outcome(&format!("development_gain_{class}")),
                &format!("{ctx} development_gain_{class}"),
            );
        }
        // Each territory's counts are its communities' and its firms add up.
        for row in t {
            let territory = &row[territories.col("territory")];
            let own: Vec<&Vec<String>> = c
                .iter()
                .copied()
                .filter(|r| &r[communities.col("territory")] == territory)
                .collect();
            let cell = |name: &str| num(&row[territories.col(name)]);
            assert_eq!(
                cell("communities_start"),
                count(&communities, &own, "initial", "true") as f64
            );
            assert_eq!(
                cell("communities_dissolved"),
                count(&communities, &own, "status", "dissolved") as f64
            );
            assert_eq!(
                cell("firms_start") + cell("firms_opened") - cell("firms_closed"),
                cell("firms_end")
            );
            for level in ["population", "economy", "development"] {
                let low = cell(&format!("{level}_trough"));
                assert!(low <= cell(&format!("{level}_end")), "{ctx} {level}");
            }
        }
    }
    assert!(dissolved_somewhere, "the runs dissolve some community");
}

#[test]
fn records_are_off_by_default_and_change_no_run() {
    let tmp = tempfile::tempdir().unwrap();
    let off = run_small_n(tmp.path(), "off", "3", &[]);
    assert!(off.status.success(), "{}", text(&off.stderr));
    let on = run_small_n(tmp.path(), "on", "3", &ON);
    assert!(on.status.success(), "{}", text(&on.stderr));
    let (off, on) = (tmp.path().join("off"), tmp.path().join("on"));
    for name in ["communities.csv", "territories.csv"] {
        assert!(!off.join(name).exists(), "{name} without the key");
        assert!(on.join(name).is_file(), "{name} with it");
    }
    let files = |dir: &Path| -> Vec<String> {
        let manifest: serde_json::Value =
            serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
        manifest["outputs"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    assert!(!files(&off).iter().any(|f| f.starts_with("communities")));
    let listed = files(&on);
    assert_eq!(
        listed[listed.len() - 2..],
        ["communities.csv", "territories.csv"]
    );
    // Observation only: the runs are the same, bit for bit.
    for name in ["runs.csv", "summary.csv", "survival.csv"] {
        assert_eq!(read(&off.join(name)), read(&on.join(name)), "{name}");
    }
    // A sweep cannot vary them.
    std::fs::write(
        tmp.path().join("swept.toml"),
        "[sweep]\n[sweep.parameters]\n\"output.communities\" = [true, false]\n",
    )
    .unwrap();
    let o = commsim(&["check", "swept.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("communities.csv is written for the whole experiment"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn record_files_are_the_same_bytes_on_any_thread_count_compressed_and_resumed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = read(Path::new(&scenario("pandemic-2020.toml")));
    std::fs::write(
        tmp.path().join("grid.toml"),
        format!("{base}\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.budget\" = [20.0, 80.0, 200.0]\n"),
    )
    .unwrap();
    let run = |out: &str, extra: &[&str]| {
        let args = [&ON[..], extra].concat();
        let o = run_reduced(tmp.path(), "grid.toml", out, "3", &args);
        assert!(o.status.success(), "{out}: {}", text(&o.stderr));
    };
    run("t1", &["--threads", "1"]);
    run("t2", &["--threads", "2"]);
    run("gz", &["--threads", "2", "--set", "output.compress=true"]);
    let dir = |d: &str| tmp.path().join(d);
    let files = ["communities.csv", "territories.csv"];
    for f in files {
        let one = read(&dir("t1").join(f));
        assert!(one.lines().count() > 9, "{f} has rows");
        assert!(one == read(&dir("t2").join(f)), "{f} on 1 and 2 threads");
        assert!(
            gunzip(&dir("gz").join(format!("{f}.gz"))) == one,
            "{f}.gz holds {f}"
        );
    }
    let header = read(&dir("t1").join("communities.csv"));
    assert!(header.starts_with("point,replicate,seed,grants.budget,territory,class,community,"));
    // A run that fails in its second point resumes to the bytes of an uninterrupted run.
    let runs = read(&dir("t1").join("runs.csv"));
    let seed = runs
        .lines()
        .find(|l| l.starts_with("1,1,"))
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .to_string();
    for (cut, like, compress) in [("cut", "t1", "false"), ("cutgz", "gz", "true")] {
        let options = ["--set", &format!("output.compress={compress}")];
        let failing = [&ON[..], &options, &["--fail-on-seed", &seed]].concat();
        let o = run_reduced(tmp.path(), "grid.toml", cut, "3", &failing);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        let staged = dir(cut).join(".commsim-partial");
        let name = |f: &str| match compress {
            "true" => format!("{f}.gz"),
            _ => f.to_string(),
        };
        assert!(staged.join(name("communities.csv")).is_file());
        run(cut, &[&options[..], &["--resume"]].concat());
        for f in files.iter().chain(&["runs.csv"]) {
            assert!(
                std::fs::read(dir(cut).join(name(f))).unwrap()
                    == std::fs::read(dir(like).join(name(f))).unwrap(),
                "{} after --resume",
                name(f)
            );
        }
        assert!(!staged.exists(), "the staging folder is gone");
    }
}

/// The estimated megabytes of one file in check's cost line (`runs.csv 0.074 MB`).
fn estimated_mb(check: &str, file: &str) -> f64 {
    let cost = check.lines().find(|l| l.starts_with("# cost:")).unwrap();
    let at = cost
        .find(&format!("{file} "))
        .unwrap_or_else(|| panic!("{file} in {cost}"));
    let rest = &cost[at + file.len() + 1..];
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn check_sizes_the_record_files_and_the_report_shows_the_communities() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario("pandemic-2020.toml");
    let mut args = vec!["check", file.as_str(), "--set", "run.replicates=8"];
    args.extend_from_slice(common::command::SMALL);
    let off = commsim(&args, tmp.path());
    assert!(off.status.success(), "{}", text(&off.stderr));
    assert!(!text(&off.stdout).contains("communities.csv"));
    args.extend_from_slice(&ON);
    let check = commsim(&args, tmp.path());
    assert!(check.status.success(), "{}", text(&check.stderr));
    let check = text(&check.stdout);
    let o = run_small_n(tmp.path(), "out", "8", &[&ON[..], &["--report"]].concat());
    assert!(o.status.success(), "{}", text(&o.stderr));
    for f in ["communities.csv", "territories.csv"] {
        let estimate = estimated_mb(&check, f);
        let actual = std::fs::metadata(tmp.path().join("out").join(f))
            .unwrap()
            .len() as f64
            / 1e6;
        assert!(
            estimate > 0.0 && estimate < 2.0 * actual && actual < 2.0 * estimate,
            "{f}: estimated {estimate} MB, written {actual} MB"
        );
    }
    let html = read(&tmp.path().join("out/report.html"));
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let select = |s: &str| {
        doc.select(&scraper::Selector::parse(s).unwrap())
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(select("section#communities").len(), 1);
    assert_eq!(select("figure#communities-lorenz svg").len(), 1);
    let cohorts = select("section#communities div.table:first-of-type tbody tr");
    assert!(
        cohorts.iter().any(|r| r.starts_with("at month 0"))
            && cohorts.iter().any(|r| r.starts_with("founded in year 1")),
        "{cohorts:?}"
    );
    // Without the file, no section; a run that wrote it and lost it is refused.
    let plain = run_small_n(tmp.path(), "plain", "2", &["--report"]);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert!(!read(&tmp.path().join("plain/report.html")).contains("id=\"communities\""));
    std::fs::remove_file(tmp.path().join("out/communities.csv")).unwrap();
    let lost = commsim(&["report", "out"], tmp.path());
    assert_eq!(lost.status.code(), Some(2));
    assert!(
        text(&lost.stderr).contains("has no communities.csv"),
        "{}",
        text(&lost.stderr)
    );
}
