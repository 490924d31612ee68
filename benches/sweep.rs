//! A sweep of 256 runs through the parallel runner, at 1 thread and at all threads: the scaling
//! of a sweep with cores. The region is small (four villages and a small town, 24 months after a
//! 12-month burn-in) so that one sample takes about a second; the runs go to a sink that only
//! checks they arrive in order, so the figure is the engine's, not the disk's.

use commsim::experiment::runner::RunPanic;
use commsim::experiment::{run_all, Seeding};
use commsim::model::config::Config;
use commsim::model::CommunityModel;
use commsim::scenario::{apply_sets, Scenario};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const RUNS: u64 = 256;

fn small_region() -> Config {
    let mut s = Scenario::default();
    let sets: Vec<String> = [
        "region.villages=4",
        "region.small_towns=1",
        "region.large_cities=0",
        "run.months=24",
        "run.burn_in=12",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    apply_sets(&mut s, &sets).unwrap();
    Config::from_scenario(&s)
}

fn sweep(threads: usize, config: &Config) -> u64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut next = 0u64;
    pool.install(|| {
        run_all(
            &CommunityModel,
            1,
            |_| config.clone(),
            RUNS,
            0,
            Seeding::independent(1),
            |id, out| -> Result<(), RunPanic> {
                assert_eq!(id.replicate, next, "runs arrive in order");
                next += 1;
                std::hint::black_box(out);
                Ok(())
            },
            |_| {},
        )
    })
    .unwrap();
    next
}

fn sweeps(c: &mut Criterion) {
    let config = small_region();
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("sweep_256_runs");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RUNS));
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    for threads in counts {
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| sweep(threads, &config))
        });
    }
    group.finish();
}

criterion_group!(benches, sweeps);
criterion_main!(benches);
