//! One full run of the default region (48 months after a 24-month burn-in) on one thread and on
//! all threads (territories step in parallel inside a run), and the building of its initial
//! state alone on one thread (residents' Beta draws dominate it).

use commsim::model::config::Config;
use commsim::model::region::Region;
use commsim::model::simulate;
use commsim::scenario::Scenario;
use criterion::{criterion_group, criterion_main, Criterion};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

fn full_run(c: &mut Criterion) {
    let config = Config::from_scenario(&Scenario::default());
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    for threads in counts {
        let pool = pool(threads);
        group.bench_function(format!("default_region_threads_{threads}"), |b| {
            b.iter(|| pool.install(|| simulate(&config, 7)))
        });
    }
    let one = pool(1);
    group.bench_function("build_default_region_threads_1", |b| {
        b.iter(|| one.install(|| Region::new(&config, 7)))
    });
    group.finish();
}

criterion_group!(benches, full_run);
criterion_main!(benches);
