//! `commsim report DIR` and `commsim run ... --report`: the page parses as HTML without errors,
//! loads nothing from outside, holds the figures the run calls for with axes in units, is the
//! same on a rerun, and fails cleanly on folders that hold no finished run. When headless
//! Chromium is installed (Debian's `chromium`; `.ci/run` installs it and sets
//! COMMSIM_REQUIRE_CHROMIUM=1), the page is laid out and screenshotted: no text of a figure is
//! cut off or overlaps another, nothing is wider than the window, and the figures are drawn.

mod common;

use common::command::{commsim, run_reduced, run_small_n, scenario, text};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses a report, failing on any HTML parse error.
fn parse(path: &Path) -> Html {
    let doc = Html::parse_document(&read(path));
    assert!(
        doc.errors.is_empty(),
        "{} has HTML parse errors: {:?}",
        path.display(),
        doc.errors
    );
    doc
}

fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&Selector::parse(selector).unwrap()).count()
}

/// The figure with this id; its SVG's text, space-joined.
fn figure_text(doc: &Html, id: &str) -> String {
    let sel = Selector::parse(&format!("figure[id=\"{id}\"] svg text")).unwrap();
    let texts: Vec<String> = doc.select(&sel).map(|t| t.text().collect()).collect();
    assert!(!texts.is_empty(), "figure {id} has no SVG text");
    texts.join(" ")
}

/// Outcomes of runs.csv with a value in at least one run.
fn defined_outcomes(dir: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(dir.join("runs.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut defined = vec![false; header.len()];
    for record in reader.records() {
        for (i, cell) in record.unwrap().iter().enumerate() {
            defined[i] |= !cell.is_empty();
        }
    }
    header
        .into_iter()
        .zip(defined)
        .skip(3)
        .filter(|(name, d)| *d && !name.contains('.'))
        .map(|(name, _)| name)
        .collect()
}

/// Nothing on the page is fetched: no script, stylesheet, image or frame, no URL but the SVG
/// namespace.
fn assert_self_contained(html: &str) {
    for forbidden in [
        "<script", "<link", "<img", "<iframe", " src=", "url(", "@import",
    ] {
        assert!(!html.contains(forbidden), "the report holds {forbidden}");
    }
    let urls = html.matches("http").count();
    let namespaces = html.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(
        urls, namespaces,
        "the report names a URL other than the SVG namespace"
    );
}

#[test]
fn a_crisis_run_reports_every_figure_as_valid_self_contained_html() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_small_n(
        tmp.path(),
        "crisis",
        "6",
        &[
            "--set",
            "output.timeseries=true",
            "--set",
            "output.communities=true",
            "--report",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp.path().join("crisis");
    let html = read(&dir.join("report.html"));
    let doc = parse(&dir.join("report.html"));
    assert_self_contained(&html);

    for section in [
        "provenance",
        "patterns",
        "crisis-excess",
        "waves",
        "outcomes",
        "survival",
        "communities",
        "series",
    ] {
        assert_eq!(
            count(&doc, &format!("section#{section}")),
            1,
            "section {section}"
        );
    }
    // The study's waves: a row per wave outcome, the twin beside waves 2 and 3, the sample's
    // signals; their twins are in that section, not in the crisis table.
    assert_eq!(count(&doc, "section#waves tbody tr"), 8);
    assert_eq!(count(&doc, "section#waves thead th"), 3 + 4);
    let waves: String = doc
        .select(&Selector::parse("section#waves").unwrap())
        .flat_map(|s| s.text())
        .collect();
    assert!(waves.contains("r1_signals") && waves.contains("признаки дезинтеграции"));
    let crisis: String = doc
        .select(&Selector::parse("section#crisis-excess").unwrap())
        .flat_map(|s| s.text())
        .collect();
    assert!(crisis.contains("crisis_dissolution") && !crisis.contains("wave2_"));
    assert_eq!(count(&doc, "section#sweep"), 0);
    assert_eq!(count(&doc, "section#sensitivity"), 0);
    assert_eq!(count(&doc, "figure[data-figure=missing]"), 0);

    // One histogram per outcome with a value, one survival figure, one per monthly series.
    let outcomes = defined_outcomes(&dir);
    assert_eq!(
        count(&doc, "figure[data-figure=distribution]"),
        outcomes.len()
    );
    for name in &outcomes {
        assert_eq!(
            count(&doc, &format!("figure[id=\"dist-{name}\"]")),
            1,
            "{name}"
        );
    }
    let series = csv::Reader::from_path(dir.join("timeseries.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .len()
        - 3;
    assert_eq!(count(&doc, "figure[data-figure=series]"), series);
    assert_eq!(count(&doc, "figure[data-figure=survival]"), 1);

    // Axes carry units.
    assert!(figure_text(&doc, "dist-survival").contains("survival (share of communities)"));
    assert!(figure_text(&doc, "dist-survival").contains("runs"));
    assert!(figure_text(&doc, "dist-horizon_trough").contains("horizon_trough (months)"));
    assert!(figure_text(&doc, "dist-grant_money").contains("(million roubles)"));
    let km = figure_text(&doc, "km-point-0");
    assert!(km.contains("months since the community entered observation"));
    assert!(km.contains("surviving (share of communities)"));
    let caption = Selector::parse("figure[id=km-point-0] figcaption").unwrap();
    let caption: String = doc.select(&caption).next().unwrap().text().collect();
    assert!(caption.contains("entrepreneurial (n = "), "{caption}");
    assert!(figure_text(&doc, "series-horizon").contains("horizon (months)"));
    assert!(figure_text(&doc, "series-residents").contains("(inhabitants)"));
    assert!(figure_text(&doc, "communities-lorenz").contains("(share of communities)"));

    // Provenance: the manifest's digest and seed; the scorecard: six patterns with verdicts.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    assert!(html.contains(manifest["scenario_sha256"].as_str().unwrap()));
    let verdicts = count(&doc, "section#patterns td span.holds")
        + count(&doc, "section#patterns td span.fails")
        + count(&doc, "section#patterns td span.cannot");
    let claims = count(&doc, "section#patterns tbody tr");
    assert_eq!(verdicts, claims + 6, "a verdict per claim and per pattern");

    // Every SVG keeps its viewBox, so the page can scale it.
    assert_eq!(
        count(&doc, "figure svg"),
        count(&doc, "figure svg[viewBox]"),
        "an SVG without viewBox"
    );

    // The page depends on the files only: a rerun on one thread writes the same bytes.
    let again = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(["report", "crisis", "--quiet"])
        .env("RAYON_NUM_THREADS", "1")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        read(&dir.join("report.html")) == html,
        "a rerun changed the report"
    );
}

#[test]
fn sweep_reports_plot_outcomes_against_parameters_and_sobol_indices() {
    let tmp = tempfile::tempdir().unwrap();
    // A 4 x 4 grid: boxes per point, survival pooled, outcome against both parameters.
    let grid = scenario("sweep-grants-turnover.toml");
    let out = run_reduced(tmp.path(), &grid, "grid", "2", &["--report"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp.path().join("grid");
    let doc = parse(&dir.join("report.html"));
    let outcomes = defined_outcomes(&dir);
    assert_eq!(
        count(&doc, "figure[data-figure=distribution]"),
        outcomes.len()
    );
    assert_eq!(count(&doc, "figure[data-figure=sweep]"), outcomes.len());
    assert_eq!(count(&doc, "figure[id=km-pooled]"), 1);
    assert_eq!(count(&doc, "figure[id^=km-type-]"), 5);
    assert_eq!(count(&doc, "section#sensitivity"), 0);
    let panels = figure_text(&doc, "sweep-survival");
    assert!(panels.contains("grants.budget (million roubles per year)"));
    assert!(panels.contains("administration.head_turnover (changes per year)"));
    assert!(panels.contains("share of communities"));
    assert!(
        panels.contains("head_turnover ="),
        "the legend of the lines"
    );
    assert!(figure_text(&doc, "dist-survival").contains("design point"));
    assert_eq!(
        count(&doc, "section#patterns tbody tr"),
        6 + 16,
        "counts and every point"
    );

    // A Sobol sweep: the indices the page shows are those `commsim analyze` writes.
    let sobol = scenario("sweep-sobol.toml");
    let sets = [
        "--set",
        "sweep.samples=8",
        "--set",
        "sweep.second_order=true",
        "--report",
    ];
    let out = run_reduced(tmp.path(), &sobol, "sobol", "2", &sets);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp.path().join("sobol");
    let doc = parse(&dir.join("report.html"));
    assert_eq!(count(&doc, "section#sensitivity"), 1);
    assert!(count(&doc, "figure[data-figure=sobol]") > 40);
    assert!(figure_text(&doc, "sobol-survival").contains("Sobol index"));
    assert!(figure_text(&doc, "sobol-survival").contains("grants.budget"));
    // Second order: a column per pair of the six parameters, a row per outcome with indices.
    let s2_header = Selector::parse("section#sensitivity details thead th").unwrap();
    assert_eq!(doc.select(&s2_header).count(), 1 + 15);
    let analyzed = commsim(&["analyze", "sobol", "--quiet"], tmp.path());
    assert!(analyzed.status.success(), "{}", text(&analyzed.stderr));
    let mut reader = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "survival" && &r[1] == "grants.budget")
        .expect("survival by grants.budget in sensitivity.csv");
    let st: f64 = row[4].parse().unwrap();
    let cells: Vec<String> = doc
        .select(&Selector::parse("section#sensitivity > div.table tbody tr").unwrap())
        .map(|tr| tr.text().collect::<Vec<_>>().join("|"))
        .filter(|t| t.starts_with("survival|"))
        .collect();
    assert_eq!(cells.len(), 1, "one table row for survival: {cells:?}");
    let shown: f64 = cells[0].split('|').nth(1).unwrap().parse().unwrap();
    assert!(
        (shown - st).abs() <= 5e-4 * st.abs().max(1e-3),
        "the page shows ST {shown}, sensitivity.csv {st}"
    );

    // Without a shock: no scorecard, and crisis outcomes are named as undefined.
    let out = run_reduced(
        tmp.path(),
        &scenario("baseline.toml"),
        "calm",
        "2",
        &["--report"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = read(&tmp.path().join("calm/report.html"));
    let doc = parse(&tmp.path().join("calm/report.html"));
    assert_eq!(count(&doc, "section#patterns"), 0);
    assert!(
        html.contains("Undefined in every run") && html.contains("<code>crisis_dissolution</code>")
    );
}

#[test]
fn folders_without_a_finished_run_are_refused_and_an_earlier_report_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = commsim(&["report", "nowhere"], tmp.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("nowhere: no such folder"));

    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    let empty = commsim(&["report", "empty"], tmp.path());
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty.stderr).contains("has no manifest.json"));

    std::fs::create_dir_all(tmp.path().join("stopped/.commsim-partial")).unwrap();
    let stopped = commsim(&["report", "stopped"], tmp.path());
    assert_eq!(stopped.status.code(), Some(2));
    assert!(text(&stopped.stderr).contains("--resume"));

    // A damaged runs.csv: exit 2 naming file and line; the report already there is kept.
    let out = run_small_n(tmp.path(), "damaged", "2", &["--report"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp.path().join("damaged");
    let before = read(&dir.join("report.html"));
    let mut runs = read(&dir.join("runs.csv"));
    runs.push_str("0,9,1,not-a-number\n");
    std::fs::write(dir.join("runs.csv"), runs).unwrap();
    let damaged = commsim(&["report", "damaged"], tmp.path());
    assert_eq!(damaged.status.code(), Some(2), "{}", text(&damaged.stderr));
    assert!(
        text(&damaged.stderr).contains("runs.csv:4"),
        "{}",
        text(&damaged.stderr)
    );
    assert_eq!(read(&dir.join("report.html")), before);

    // While a process holds the folder's lock (a run writing into it), the report waits its turn.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".commsim-lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let busy = commsim(&["report", "damaged"], tmp.path());
    assert_eq!(busy.status.code(), Some(2), "{}", text(&busy.stderr));
    assert!(text(&busy.stderr).contains("another commsim process"));
    drop(lock);
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Headless Chromium, if installed: `COMMSIM_CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("COMMSIM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// The window's height: the first screens of the crisis report, down past its tables (the
/// scorecard, the crisis outcomes beside the twin, the study's waves) into the first histograms.
const WINDOW_HEIGHT: u32 = 5000;

/// Runs headless Chromium on a page with a window `width` pixels wide.
fn browse(chromium: &Path, profile: &Path, page: &Path, width: u32, action: &str) -> String {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{WINDOW_HEIGHT}"))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Lays the report out in Chromium at a window width and returns the layout check's findings.
fn layout(chromium: &Path, tmp: &Path, report: &Path, width: u32) -> serde_json::Value {
    let script = include_str!("browser/layout_check.js");
    let page = read(report).replace("</body>", &format!("<script>{script}</script>\n</body>"));
    let checked = tmp.join("checked.html");
    std::fs::write(&checked, page).unwrap();
    let dom = browse(
        chromium,
        &tmp.join("profile"),
        &checked,
        width,
        "--dump-dom",
    );
    let start = dom
        .rfind("<pre id=\"layout-check\">")
        .expect("the layout check ran")
        + 23;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn reports_render_in_headless_chromium_with_nothing_cut_off() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("COMMSIM_REQUIRE_CHROMIUM").is_none(),
            "COMMSIM_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on the PATH (install Debian's `chromium`)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let runs = [
        (
            "crisis",
            scenario("pandemic-2020.toml"),
            vec![
                "--set",
                "output.timeseries=true",
                "--set",
                "output.communities=true",
            ],
        ),
        ("grid", scenario("sweep-grants-turnover.toml"), vec![]),
        (
            "sobol",
            scenario("sweep-sobol.toml"),
            vec![
                "--set",
                "sweep.samples=8",
                "--set",
                "sweep.second_order=true",
            ],
        ),
        // 113 parameters: rank numbers among many dots, sweep figures capped at 12 panels.
        (
            "morris",
            scenario("screening-morris.toml"),
            vec!["--set", "sweep.trajectories=2"],
        ),
    ];
    for (name, file, extra) in runs {
        let mut args = extra.clone();
        args.push("--report");
        let out = run_reduced(tmp.path(), &file, name, "3", &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report = tmp.path().join(name).join("report.html");
        let figures = count(&parse(&report), "figure");
        for width in [1320, 1000] {
            let found = layout(&chromium, tmp.path(), &report, width);
            let context = format!("{name} at {width} px: {found}");
            assert_eq!(found["figures"], figures, "{context}");
            assert_eq!(
                found["svgs_drawn"], figures,
                "every figure drawn: {context}"
            );
            assert!(
                found["texts"].as_u64().unwrap() > 10 * figures as u64,
                "{context}"
            );
            assert_eq!(
                found["outside"],
                serde_json::json!([]),
                "text cut off: {context}"
            );
            assert_eq!(
                found["overlaps"],
                serde_json::json!([]),
                "text overlaps: {context}"
            );
            assert_eq!(
                found["wider_than_window"],
                serde_json::json!([]),
                "{context}"
            );
        }
    }

    // The screenshot of the crisis report's first screens shows the figures' colours.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-crisis.png");
    let report = tmp.path().join("crisis/report.html");
    browse(
        &chromium,
        &tmp.path().join("profile"),
        &report,
        1320,
        &format!("--screenshot={}", shot.display()),
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1320, WINDOW_HEIGHT));
    let channels = info.color_type.samples();
    let (mut ink, mut blue) = (0usize, 0usize);
    for px in pixels[..info.buffer_size()].chunks(channels) {
        let (r, g, b) = (i32::from(px[0]), i32::from(px[1]), i32::from(px[2]));
        ink += usize::from(r + g + b < 600);
        // The histograms' bars: the palette's blue (0, 114, 178) at 55% on white.
        blue += usize::from(b > 150 && r < 150 && b - r > 60);
    }
    let total = (info.width * info.height) as usize;
    assert!(
        ink * 50 > total,
        "the screenshot is nearly blank: {ink} of {total} pixels"
    );
    assert!(
        blue * 200 > total,
        "no figure colours in the screenshot: {blue} of {total}"
    );
    eprintln!("screenshot: {}", shot.display());
}
