"""A short real run of bench/ingest.py on both backends: a small history, two interleaved rounds; the loader, the
two baselines and the phases come out, and on PostgreSQL the loader's big-load path (streamed, with its COPY phase)
is the one timed once the file counts as big."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_ingest_bench_prints_loader_baselines_and_phases():
    done = subprocess.run([sys.executable, "bench/ingest.py", "--backend", "both", "--cooperatives", "30",
                           "--months", "12", "--repeat", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "360 report rows" in out and "(medians of 2 interleaved rounds" in out
    for backend in ("sqlite", "postgresql"):
        assert f"{backend}: where the median loader run's" in out
        assert f"{backend}: spread over the rounds: loader" in out
    assert out.count("read the CSV") == 2 and out.count("the rest (runs") == 2


def test_the_bench_times_a_streamed_load_in_its_phases(monkeypatch, tmp_path):
    sys.path.insert(0, str(ROOT))
    import ingest.pipeline
    from bench import ingest as bench
    from warehouse import bulk

    monkeypatch.setattr(ingest.pipeline, "BIG_LOAD", 100)  # (streamed, with the keys dropped, as a big first load)
    monkeypatch.setattr(bulk, "BIG_LOAD", 100)
    reg_path, path, n = bench.make_files(tmp_path, 30, 12)
    result = bench.run("postgresql", tmp_path, reg_path, path, n, repeat=1, bound=True)
    assert result["rows"] == 360 and result["loader_s"] > 0 and result["bare_s"] > 0 and result["unread_s"] > 0
    phases = result["phases"]
    assert "streamed COPY, first slice sent to last row stored" in phases
    assert "validate the slices (during the COPY)" in phases and "validate" not in phases
    assert "rebuild keys and indexes" in phases and "read the CSV" in phases
