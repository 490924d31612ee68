//! `output.format = "parquet"`: every table a run writes as a Parquet file with the CSV file's
//! columns, typed as declared (never as the values happen to look), the same cells, the same
//! bytes at any thread count and after an interruption (a failed run, kill -9), read by
//! `report`, `analyze` and `compare`; and the key's errors.

mod common;

use common::command::*;
use parquet::basic::{ConvertedType, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::Path;
use std::process::Command;

/// Every table of a run with every file on.
const TABLES: [&str; 7] = [
    "runs",
    "summary",
    "survival",
    "timeseries",
    "points",
    "communities",
    "territories",
];

const ALL_ON: [&str; 6] = [
    "--set",
    "output.timeseries=true",
    "--set",
    "output.communities=true",
    "--set",
    "output.territories=true",
];

const PARQUET: [&str; 2] = ["--set", "output.format=parquet"];

/// A Parquet file as the parquet crate's row reader gives it: each column's name, physical
/// type and annotation, and every row's fields.
struct Parquet {
    names: Vec<String>,
    types: Vec<(Physical, ConvertedType)>,
    rows: Vec<Vec<Field>>,
    row_groups: usize,
}

fn parquet(path: &Path) -> Parquet {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let types = schema
        .columns()
        .iter()
        .map(|c| (c.physical_type(), c.converted_type()))
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| field.clone())
                .collect()
        })
        .collect();
    Parquet {
        names,
        types,
        rows,
        row_groups: reader.num_row_groups(),
    }
}

/// Whether a Parquet field holds the CSV cell: a null an empty cell, a number the number the
/// cell writes (a real to the last bit), a flag or a text the same text.
fn holds(field: &Field, cell: &str) -> bool {
    match field {
        Field::Null => cell.is_empty(),
        Field::Long(n) => n.to_string() == cell,
        Field::ULong(n) => n.to_string() == cell,
        Field::Double(x) => {
            cell.parse::<f64>()
                .is_ok_and(|y| y.to_bits() == x.to_bits())
                && format!("{x}") == cell
        }
        Field::Bool(b) => b.to_string() == cell,
        Field::Str(s) => s == cell,
        _ => false,
    }
}

const INT: (Physical, ConvertedType) = (Physical::INT64, ConvertedType::NONE);
const SEED: (Physical, ConvertedType) = (Physical::INT64, ConvertedType::UINT_64);
const REAL: (Physical, ConvertedType) = (Physical::DOUBLE, ConvertedType::NONE);
const FLAG: (Physical, ConvertedType) = (Physical::BOOLEAN, ConvertedType::NONE);
const TEXT: (Physical, ConvertedType) = (Physical::BYTE_ARRAY, ConvertedType::UTF8);

/// Checks `table`.parquet of `pq` against `table`.csv of `csv` cell for cell, and the types of
/// the columns named in `expect`; returns the Parquet file.
fn same_table(pq: &Path, csv: &Path, table: &str, expect: &[(&str, (Physical, ConvertedType))]) {
    let p = parquet(&pq.join(format!("{table}.parquet")));
    let text = read(&csv.join(format!("{table}.csv")));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        p.names, header,
        "{table}: the same columns in the same order"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(p.rows.len(), rows.len(), "{table}: the same rows");
    assert!(!rows.is_empty(), "{table} has rows");
    for (i, (fields, cells)) in p.rows.iter().zip(&rows).enumerate() {
        for ((field, cell), name) in fields.iter().zip(cells.iter()).zip(&header) {
            assert!(
                holds(field, cell),
                "{table} row {i} column {name}: {field:?} against {cell:?}"
            );
        }
    }
    for (name, t) in expect {
        let c = header.iter().position(|h| h == name).unwrap_or_else(|| {
            panic!("{table} has no column {name}");
        });
        assert_eq!(p.types[c], *t, "{table}: the type of {name}");
    }
    assert!(p.row_groups >= 1);
}

/// A Sobol sweep of 16 small points, one replicate each (as tests/outputs.rs).
fn sobol(dir: &Path) -> String {
    let base = read(Path::new(&scenario("pandemic-2020.toml")));
    std::fs::write(
        dir.join("sobol.toml"),
        format!("{base}\n[sweep]\ndesign = \"sobol\"\nsamples = 4\n[sweep.parameters]\n\"grants.budget\" = {{ min = 10.0, max = 200.0 }}\n\"community.recognition\" = {{ min = 0.2, max = 0.8 }}\n"),
    )
    .unwrap();
    "sobol.toml".into()
}

/// The small grid sweep (16 points, grants.budget over 0, 75, 150 and 300) with every file on.
fn sweep(dir: &Path, out: &str, replicates: &str, extra: &[&str]) {
    let args = [&ALL_ON[..], extra].concat();
    let o = grid_sweep(dir, out, replicates, &args);
    assert!(o.status.success(), "{out}: {}", text(&o.stderr));
}

#[test]
fn every_table_in_parquet_holds_the_csv_cells_typed_as_declared() {
    let tmp = tempfile::tempdir().unwrap();
    sweep(tmp.path(), "csv", "2", &[]);
    sweep(tmp.path(), "pq", "2", &PARQUET);
    let (csv, pq) = (tmp.path().join("csv"), tmp.path().join("pq"));
    let mut expect: Vec<String> = TABLES.iter().map(|t| format!("{t}.parquet")).collect();
    expect.push("manifest.json".into());
    expect.sort();
    assert_eq!(listing(&pq), expect, "only Parquet files and the manifest");
    let outputs: serde_json::Value =
        serde_json::from_str(&read(&pq.join("manifest.json"))).unwrap();
    let outputs = &outputs["outputs"];
    assert_eq!(outputs["format"], "parquet");
    assert_eq!(outputs["compressed"], false);
    assert_eq!(outputs["files"][0], "runs.parquet");
    assert_eq!(outputs["files"].as_array().unwrap().len(), TABLES.len());
    // grants.budget is a real whose values here are all whole: DOUBLE all the same, as are
    // outcomes that count (communities_start) and every summary statistic.
    let swept = [
        ("grants.budget", REAL),
        ("administration.head_turnover", REAL),
    ];
    let identity = [("point", INT), ("replicate", INT), ("seed", SEED)];
    let runs: Vec<_> = [
        &identity[..],
        &swept,
        &[("communities_start", REAL), ("survival", REAL)],
    ]
    .concat();
    same_table(&pq, &csv, "runs", &runs);
    let summary = [
        ("point", INT),
        ("outcome", TEXT),
        ("n", INT),
        ("mean", REAL),
        ("max", REAL),
    ];
    same_table(&pq, &csv, "summary", &[&summary[..], &swept].concat());
    let survival = [
        ("type", TEXT),
        ("month", INT),
        ("at_risk", INT),
        ("events", INT),
        ("censored", INT),
        ("survival", REAL),
        ("ci95_low", REAL),
    ];
    same_table(&pq, &csv, "survival", &survival);
    same_table(
        &pq,
        &csv,
        "timeseries",
        &[("month", INT), ("replicate", INT)],
    );
    let points = [
        ("point", INT),
        ("name", TEXT),
        ("run.seed", SEED),
        ("run.months", INT),
        ("region.villages", INT),
        ("grants.budget", REAL),
        ("grants.enabled", FLAG),
        ("run.burn_in_under", TEXT),
        ("shocks.0.start_month", INT),
        ("shocks.0.severity", REAL),
        ("shocks.0.kind", TEXT),
        ("shocks.0.profile", TEXT),
    ];
    same_table(&pq, &csv, "points", &points);
    let communities = [
        ("seed", SEED),
        ("territory", INT),
        ("class", TEXT),
        ("initial", FLAG),
        ("founded", INT),
        ("exited", INT),
        ("members_end", REAL),
        ("grant_money", REAL),
        ("months_integration", INT),
    ];
    same_table(&pq, &csv, "communities", &communities);
    let territories = [
        ("population_start", REAL),
        ("economy_trough_month", INT),
        ("firms_closed_in_shock", INT),
    ];
    same_table(&pq, &csv, "territories", &territories);
    // An empty cell is a null: run.reference is "" at every point, exited of a living
    // community is empty.
    let points = parquet(&pq.join("points.parquet"));
    let reference = points
        .names
        .iter()
        .position(|n| n == "run.reference")
        .unwrap();
    assert!(points.rows.iter().all(|r| r[reference] == Field::Null));
}

#[test]
fn report_analyze_and_compare_read_parquet_as_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sobol(tmp.path());
    for (out, extra) in [("csv", &[][..]), ("pq", &PARQUET[..])] {
        let args = [&ALL_ON[..], extra].concat();
        let o = run_reduced(tmp.path(), &file, out, "1", &args);
        assert!(o.status.success(), "{out}: {}", text(&o.stderr));
        for command in ["analyze", "report"] {
            let o = commsim(&[command, out, "--quiet"], tmp.path());
            assert!(o.status.success(), "{command} {out}: {}", text(&o.stderr));
        }
    }
    let (csv, pq) = (tmp.path().join("csv"), tmp.path().join("pq"));
    assert_eq!(
        read(&pq.join("sensitivity.csv")),
        read(&csv.join("sensitivity.csv"))
    );
    // The same page but for the folder's name and the file names it lists.
    let page = |dir: &Path, name: &str| {
        read(&dir.join("report.html"))
            .replace(&dir.display().to_string(), "DIR")
            .replace(".parquet", ".csv")
            .replace(&format!(">{name}<"), ">DIR<")
    };
    let (a, b) = (page(&csv, "csv"), page(&pq, "pq"));
    assert_eq!(
        a.matches("<figure").count(),
        b.matches("<figure").count(),
        "the same figures"
    );
    assert!(a.matches("<figure").count() > 5);
    // A comparison's differences.parquet holds differences.csv.
    for (out, extra) in [("cmp-csv", &[][..]), ("cmp-pq", &PARQUET[..])] {
        let mut args = vec![
            "compare",
            "scenarios/pandemic-2020.toml",
            "scenarios/grants-none.toml",
            "--out",
            out,
            "--replicates",
            "3",
            "--quiet",
        ];
        let base = env!("CARGO_MANIFEST_DIR");
        let (a, b) = (
            format!("{base}/scenarios/pandemic-2020.toml"),
            format!("{base}/scenarios/grants-none.toml"),
        );
        args[1] = &a;
        args[2] = &b;
        args.extend_from_slice(SMALL);
        args.extend_from_slice(extra);
        let o = commsim(&args, tmp.path());
        assert!(o.status.success(), "{out}: {}", text(&o.stderr));
    }
    let (csv, pq) = (tmp.path().join("cmp-csv"), tmp.path().join("cmp-pq"));
    let differences = [("outcome", TEXT), ("n", INT), ("difference", REAL)];
    same_table(&pq, &csv, "differences", &differences);
    same_table(&pq, &csv, "runs", &[("point", INT)]);
    let o = commsim(&["report", "cmp-pq", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn parquet_bytes_are_the_same_on_any_thread_count_and_after_a_failed_run_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    sweep(
        tmp.path(),
        "t1",
        "2",
        &[&PARQUET[..], &["--threads", "1"]].concat(),
    );
    sweep(
        tmp.path(),
        "t2",
        "2",
        &[&PARQUET[..], &["--threads", "2"]].concat(),
    );
    let same = |a: &str, b: &str, why: &str| {
        for t in TABLES {
            let name = format!("{t}.parquet");
            let (x, y) = (
                tmp.path().join(a).join(&name),
                tmp.path().join(b).join(&name),
            );
            assert!(
                std::fs::read(&x).unwrap() == std::fs::read(&y).unwrap(),
                "{name}: {why}"
            );
        }
    };
    same("t1", "t2", "1 and 2 threads");
    // A run that fails in its tenth point resumes to the bytes of an uninterrupted run: the
    // seed of point 9's first run, read from the Parquet file.
    let p = parquet(&tmp.path().join("t1/runs.parquet"));
    let row = p
        .rows
        .iter()
        .find(|r| r[0] == Field::Long(9) && r[1] == Field::Long(0))
        .unwrap();
    let seed = match &row[2] {
        Field::ULong(seed) => seed.to_string(),
        other => panic!("{other:?}"),
    };
    let fail = [&PARQUET[..], &["--fail-on-seed", &seed]].concat();
    let args = [&ALL_ON[..], &fail].concat();
    let o = run_reduced(
        tmp.path(),
        &scenario("sweep-grants-turnover.toml"),
        "cut",
        "2",
        &args,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let staging = tmp.path().join("cut/.commsim-partial");
    assert!(staging.join("runs.csv").is_file(), "the text is staged");
    assert!(!tmp.path().join("cut/runs.parquet").exists());
    sweep(
        tmp.path(),
        "cut",
        "2",
        &[&PARQUET[..], &["--resume"]].concat(),
    );
    same("t1", "cut", "after a failed run and --resume");
    assert!(!staging.exists());
}

#[test]
fn kill_9_then_resume_gives_the_parquet_files_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep_file = scenario("sweep-grants-turnover.toml");
    let mut args = vec!["run", sweep_file.as_str(), "--replicates", "20", "--quiet"];
    args.extend_from_slice(&ALL_ON);
    args.extend_from_slice(&PARQUET);
    args.extend_from_slice(SMALL);
    let with = |out: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend(["--out".to_string(), out.to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let bin = env!("CARGO_BIN_EXE_commsim");
    let full = Command::new(bin)
        .args(with("full", &[]))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(full.status.success(), "{}", text(&full.stderr));
    // Eight kills at pseudo-random moments between 30 and 600 ms after each start, the later
    // ones of resumed runs (some while the Parquet files are made and moved).
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..8 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let extra: &[&str] = if i == 0 { &[] } else { &["--resume"] };
        let mut child = Command::new(bin)
            .args(with("cut", extra))
            .current_dir(tmp.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30 + state % 570));
        let _ = child.kill();
        let _ = child.wait();
    }
    let finished = tmp.path().join("cut/manifest.json").exists()
        && !tmp.path().join("cut/.commsim-partial").exists();
    if !finished {
        let last = Command::new(bin)
            .args(with("cut", &["--resume"]))
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(last.status.success(), "{}", text(&last.stderr));
    }
    for t in TABLES {
        let name = format!("{t}.parquet");
        assert!(
            std::fs::read(tmp.path().join("full").join(&name)).unwrap()
                == std::fs::read(tmp.path().join("cut").join(&name)).unwrap(),
            "{name} after kill -9 and --resume"
        );
    }
    assert_eq!(
        listing(&tmp.path().join("cut")),
        listing(&tmp.path().join("full"))
    );
}

#[test]
fn bad_formats_exit_2_and_parquet_results_are_never_overwritten_unforced() {
    let tmp = tempfile::tempdir().unwrap();
    for (body, expect) in [
        (
            "format = \"xlsx\"",
            "bad.toml:3:1: key `output.format`: `xlsx` is not a format of the output files; allowed: \"csv\" or \"parquet\"",
        ),
        (
            "format = \"parquet\"\ncompress = true",
            "bad.toml:3:1: key `output.format`: \"parquet\" with output.compress = true: Parquet files are compressed inside (Snappy), and output.compress gzips CSV files only; allowed:",
        ),
        ("format = 1", "bad.toml:3:1: key `output.format`: expected a string"),
    ] {
        refuses_output_table(tmp.path(), body, expect);
    }
    std::fs::write(
        tmp.path().join("sweep.toml"),
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"output.format\" = [\"csv\", \"parquet\"]\n",
    )
    .unwrap();
    let o = commsim(&["check", "sweep.toml"], tmp.path());
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("sweep.toml:4:1:")
            && err.contains("cannot be swept: the files of an experiment are of one format"),
        "{err}"
    );
    assert!(!tmp.path().join("never").exists());
    // check names and sizes the Parquet files.
    let o = commsim(
        &[
            &["check", &scenario("pandemic-2020.toml")][..],
            SMALL,
            &PARQUET,
        ]
        .concat(),
        tmp.path(),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("runs.parquet") && !out.contains("runs.csv"),
        "{out}"
    );
    // A folder holding a Parquet result is refused without --force, whatever the format.
    let o = run_small_n(tmp.path(), "pq", "2", &PARQUET);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for extra in [&[][..], &PARQUET[..]] {
        let o = run_small_n(tmp.path(), "pq", "2", extra);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            text(&o.stderr).contains("already holds results"),
            "{}",
            text(&o.stderr)
        );
    }
    // With --force a CSV run replaces the Parquet files.
    let o = run_small_n(tmp.path(), "pq", "2", &["--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(listing(&tmp.path().join("pq"))
        .iter()
        .all(|f| !f.ends_with(".parquet")));
}
