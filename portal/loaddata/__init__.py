"""Load-test data: `portal generate-load-data` builds a round at the scale of a real one (1,511
organizations, 200 statements, 50,265 signatures) through the same operations as the app, for the
load bench (bench/bench_load.py) and anyone measuring the portal at scale (docs/performance.md)."""
