//! One month of one territory of each class, default parameters, after a year of warm-up.
//! The clone of the state is made, and dropped, outside the timed part.

use commsim::model::config::Config;
use commsim::model::region::Region;
use commsim::scenario::{apply_set, Scenario};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn one_territory(class_key: &str) -> Config {
    let mut s = Scenario::default();
    for key in [
        "region.villages",
        "region.small_towns",
        "region.large_cities",
    ] {
        let n = if key == class_key { 1 } else { 0 };
        apply_set(&mut s, &format!("{key}={n}")).unwrap();
    }
    Config::from_scenario(&s)
}

fn month(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_month");
    for (name, key) in [
        ("village", "region.villages"),
        ("small_town", "region.small_towns"),
        ("large_city", "region.large_cities"),
    ] {
        let config = one_territory(key);
        let mut region = Region::new(&config, 1);
        for _ in 0..12 {
            region.step(&config);
        }
        // Every iteration steps the same warmed-up state, so the figure does not drift with time.
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || region.clone(),
                |r| r.step(&config),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, month);
criterion_main!(benches);
