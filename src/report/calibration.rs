//! The report of a finished calibration (`commsim report DIR` on a `commsim calibrate` folder):
//! how it was made, its generations, each key's marginal posterior against its prior, and
//! pairwise plots of the particles for the keys the targets constrain most. A key's constraint
//! is its posterior sd over its prior sd in kernel space (the value, or its logarithm on a log
//! scale, where the prior is uniform): 1 for a key the targets leave at its prior.

use super::page::{self, escape, number, Section};
use super::plot::{self, svg, Drawn, SMALL};
use plotters::prelude::*;

/// Bins of a marginal histogram.
const BINS: usize = 20;
/// Keys of the pairwise plots: the most constrained, so at most 6 plots.
pub const PAIR_KEYS: usize = 4;

/// A calibrated key as the manifest gives it.
struct Key {
    name: String,
    min: f64,
    max: f64,
    log: bool,
}

impl Key {
    fn z(&self, x: f64) -> f64 {
        if self.log {
            x.ln()
        } else {
            x
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.z(self.min)..self.z(self.max)
    }

    fn axis(&self) -> String {
        if self.log {
            format!("{} (log scale)", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// Weighted mean and sd.
fn moments(x: &[f64], w: &[f64]) -> (f64, f64) {
    let mean: f64 = x.iter().zip(w).map(|(x, w)| x * w).sum();
    let var: f64 = x.iter().zip(w).map(|(x, w)| w * (x - mean).powi(2)).sum();
    (mean, var.sqrt())
}

/// The weighted `q`-quantile (the smallest value whose cumulative weight reaches q).
fn quantile(x: &[f64], w: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += w[i];
        if cumulative >= q {
            return x[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| x[i])
}

/// Tick labels of a kernel-space axis in the key's own units.
fn ticks(key: &Key) -> impl Fn(&f64) -> String + '_ {
    let range = key.range();
    let span = range.end - range.start;
    move |z: &f64| {
        if key.log {
            // Two significant digits: the ticks of a log axis sit at uneven values.
            let x = z.exp();
            let decimals = (1 - x.log10().floor() as i32).max(0) as usize;
            format!("{x:.decimals$}")
        } else {
            plot::tick(*z, span)
        }
    }
}

fn marginal(key: &Key, z: &[f64], w: &[f64]) -> Drawn {
    let range = key.range();
    let width = (range.end - range.start) / BINS as f64;
    let mut mass = [0.0; BINS];
    for (z, w) in z.iter().zip(w) {
        let b = (((z - range.start) / width) as usize).min(BINS - 1);
        mass[b] += w;
    }
    // Densities in kernel space: the prior is flat at 1 / (its width).
    let prior = 1.0 / (range.end - range.start);
    let density: Vec<f64> = mass.iter().map(|m| m / width).collect();
    let top = density.iter().copied().fold(prior, f64::max) * 1.08;
    svg(SMALL, |area| {
        let mut c = plot::chart(area, range.clone(), 0.0..top)?;
        plot::mesh(
            &mut c,
            &key.axis(),
            "density (kernel space)",
            &ticks(key),
            &|v| plot::tick(*v, top),
            6,
        )?;
        c.draw_series(density.iter().enumerate().map(|(b, d)| {
            let x0 = range.start + b as f64 * width;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, *d)],
                plot::colour(0).mix(0.7).filled(),
            )
        }))?;
        c.draw_series(std::iter::once(PathElement::new(
            vec![(range.start, prior), (range.end, prior)],
            plot::GREY.stroke_width(2),
        )))?;
        Ok(())
    })
}

fn pair(a: &Key, b: &Key, za: &[f64], zb: &[f64], w: &[f64]) -> Drawn {
    let (ra, rb) = (a.range(), b.range());
    let top = w.iter().copied().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    svg(SMALL, |area| {
        let mut c = plot::chart(area, ra.clone(), rb.clone())?;
        plot::mesh(&mut c, &a.axis(), &b.axis(), &ticks(a), &ticks(b), 6)?;
        c.draw_series(za.iter().zip(zb).zip(w).map(|((x, y), w)| {
            // Area in proportion to the weight.
            let r = 1.5 + 4.5 * (w / top).sqrt();
            Circle::new((*x, *y), r as i32, plot::colour(0).mix(0.5).filled())
        }))?;
        Ok(())
    })
}

/// The page of a calibration folder from its manifest.json, posterior.csv and generations.csv.
pub fn render(
    folder: &str,
    manifest: &str,
    posterior: &str,
    generations: &str,
) -> Result<String, String> {
    let m: serde_json::Value = serde_json::from_str(manifest)
        .map_err(|e| format!("manifest.json is not valid JSON: {e}"))?;
    let keys: Vec<Key> = m["parameters"]
        .as_array()
        .ok_or("manifest.json: no parameters")?
        .iter()
        .map(|p| {
            Some(Key {
                name: p["key"].as_str()?.to_string(),
                min: p["min"].as_f64()?,
                max: p["max"].as_f64()?,
                log: p["scale"].as_str()? == "log",
            })
        })
        .collect::<Option<_>>()
        .ok_or("manifest.json: a parameter without key, min, max or scale")?;
    let mut reader = csv::Reader::from_reader(posterior.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("posterior.csv: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = std::iter::once("particle".to_string())
        .chain(keys.iter().map(|k| k.name.clone()))
        .chain(["weight".to_string(), "distance".to_string()])
        .collect();
    if header != expected {
        return Err(
            "posterior.csv: its columns are not those of manifest.json's parameters".into(),
        );
    }
    let mut theta: Vec<Vec<f64>> = vec![Vec::new(); keys.len()];
    let mut weights = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("posterior.csv: {e}"))?;
        let number = |c: usize| -> Result<f64, String> {
            record[c]
                .parse::<f64>()
                .map_err(|e| format!("posterior.csv: {e}"))
        };
        for (k, column) in theta.iter_mut().enumerate() {
            column.push(number(1 + k)?);
        }
        weights.push(number(1 + keys.len())?);
    }
    let total: f64 = weights.iter().sum();
    if weights.is_empty() || total.is_nan() || total <= 0.0 {
        return Err("posterior.csv: no particle with weight".into());
    }
    let w: Vec<f64> = weights.iter().map(|x| x / total).collect();
    let z: Vec<Vec<f64>> = keys
        .iter()
        .zip(&theta)
        .map(|(k, xs)| xs.iter().map(|x| k.z(*x)).collect())
        .collect();
    // Constraint: posterior sd over the uniform prior's sd, both in kernel space.
    let ratio: Vec<f64> = keys
        .iter()
        .zip(&z)
        .map(|(k, zs)| {
            let r = k.range();
            moments(zs, &w).1 / ((r.end - r.start) / 12f64.sqrt())
        })
        .collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| ratio[a].total_cmp(&ratio[b]));

    let text = |v: &serde_json::Value| escape(&v.as_str().map_or(v.to_string(), str::to_string));
    let settings = &m["settings"];
    let mut about = format!(
        "<p>{}.</p>\n<p>Distance: {}.</p>\n<p>Stopped: {}, after {} generations; the last at tolerance {}, effective sample size {}.</p>\n",
        text(&m["algorithm"]),
        text(&m["distance"]),
        text(&m["stop"]),
        m["generations_run"],
        number(m["final_generation_tolerance"].as_f64().unwrap_or(f64::NAN)),
        number(m["effective_sample_size"].as_f64().unwrap_or(f64::NAN)),
    );
    let rows: Vec<Vec<String>> = [
        "population",
        "generations",
        "final_tolerance",
        "replicates",
        "quantile",
        "min_acceptance",
        "batch",
    ]
    .iter()
    .map(|k| vec![escape(k), escape(&settings[*k].to_string())])
    .chain([
        vec!["seed".into(), escape(&m["master_seed"].to_string())],
        vec!["patterns".into(), escape(&m["patterns"].to_string())],
        vec![
            "outcome targets".into(),
            escape(&m["outcome_targets"].to_string()),
        ],
    ])
    .collect();
    about.push_str(&page::table(&["setting", "value"], &rows));
    let mut parts = vec![Section {
        id: "calibration",
        title: "The calibration".into(),
        body: about,
    }];

    let mut reader = csv::Reader::from_reader(generations.as_bytes());
    let g_header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("generations.csv: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut g_rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("generations.csv: {e}"))?;
        g_rows.push(
            record
                .iter()
                .take(8)
                .map(|c| c.parse::<f64>().map_or(escape(c), number))
                .collect(),
        );
    }
    let g_names: Vec<&str> = g_header.iter().take(8).map(String::as_str).collect();
    parts.push(Section {
        id: "generations",
        title: "Generations".into(),
        body: page::table(&g_names, &g_rows),
    });

    let mut body = String::from(
        "<p>Each key's weighted posterior (bars) against its prior (grey line), in kernel space: \
         the value, or its logarithm for a log-scaled key, where the prior is flat. Keys in order \
         of constraint, the posterior sd over the prior's (1: the targets leave the key at its \
         prior).</p>\n",
    );
    let table_rows: Vec<Vec<String>> = order
        .iter()
        .map(|&k| {
            let key = &keys[k];
            let (mean, sd) = moments(&theta[k], &w);
            vec![
                format!("<code>{}</code>", escape(&key.name)),
                format!(
                    "[{}, {}]{}",
                    number(key.min),
                    number(key.max),
                    if key.log { " log" } else { "" }
                ),
                number(mean),
                number(sd),
                format!(
                    "[{}, {}]",
                    number(quantile(&theta[k], &w, 0.05)),
                    number(quantile(&theta[k], &w, 0.95))
                ),
                number(ratio[k]),
            ]
        })
        .collect();
    body.push_str(&page::table(
        &[
            "key",
            "prior",
            "posterior mean",
            "sd",
            "5% to 95%",
            "sd / prior sd",
        ],
        &table_rows,
    ));
    body.push_str("<div class=\"grid\">\n");
    for &k in &order {
        let key = &keys[k];
        let id = format!("marginal-{}", key.name);
        let title = format!("{}: posterior against prior", key.name);
        match marginal(key, &z[k], &w) {
            Ok(s) => body.push_str(&page::figure(
                &id,
                "marginal",
                &title,
                &s,
                &format!("sd / prior sd {}; {} particles", number(ratio[k]), w.len()),
            )),
            Err(e) => body.push_str(&page::missing(&id, &title, &e)),
        }
    }
    body.push_str("</div>\n");
    parts.push(Section {
        id: "marginals",
        title: "Marginal posteriors against priors".into(),
        body,
    });

    let chosen: Vec<usize> = order.iter().copied().take(PAIR_KEYS).collect();
    if chosen.len() >= 2 {
        let mut body = format!(
            "<p>The particles of the last generation for the {} most constrained keys, two by two \
             (area in proportion to weight), over the priors' ranges.</p>\n<div class=\"grid\">\n",
            chosen.len()
        );
        for (i, &a) in chosen.iter().enumerate() {
            for &b in &chosen[i + 1..] {
                let id = format!("pair-{}-{}", keys[a].name, keys[b].name);
                let title = format!("{} and {}", keys[a].name, keys[b].name);
                match pair(&keys[a], &keys[b], &z[a], &z[b], &w) {
                    Ok(s) => body.push_str(&page::figure(
                        &id,
                        "pair",
                        &title,
                        &s,
                        "one point per particle",
                    )),
                    Err(e) => body.push_str(&page::missing(&id, &title, &e)),
                }
            }
        }
        body.push_str("</div>\n");
        parts.push(Section {
            id: "pairs",
            title: "Pairwise posteriors of the most constrained keys".into(),
            body,
        });
    }
    let name = m["scenario_name"].as_str().unwrap_or("");
    let subtitle = format!(
        "Calibration of scenario <code>{}</code>: {} keys, {} particles. Every figure is drawn \
         from the files in <code>{}</code>; nothing on this page is fetched from elsewhere.",
        escape(name),
        keys.len(),
        w.len(),
        escape(folder)
    );
    Ok(page::page(
        &format!("commsim calibration report: {name}"),
        &subtitle,
        &parts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_quantiles_and_moments() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let w = [0.1, 0.2, 0.3, 0.4];
        assert_eq!(quantile(&x, &w, 0.05), 1.0);
        assert_eq!(quantile(&x, &w, 0.5), 3.0);
        let (mean, sd) = moments(&x, &w);
        assert!((mean - 3.0).abs() < 1e-12 && (sd - 1.0).abs() < 1e-12);
    }
}
