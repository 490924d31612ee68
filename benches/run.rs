//! One full run of the default region (48 months after a 24-month burn-in), and the building of
//! its initial state alone (residents' Beta draws dominate it).

use commsim::model::config::Config;
use commsim::model::region::Region;
use commsim::model::simulate;
use commsim::scenario::Scenario;
use criterion::{criterion_group, criterion_main, Criterion};

fn full_run(c: &mut Criterion) {
    let config = Config::from_scenario(&Scenario::default());
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    group.bench_function("default_region", |b| b.iter(|| simulate(&config, 7)));
    group.bench_function("build_default_region", |b| {
        b.iter(|| Region::new(&config, 7))
    });
    group.finish();
}

criterion_group!(benches, full_run);
criterion_main!(benches);
