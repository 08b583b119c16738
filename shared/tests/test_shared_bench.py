"""`newsroom bench` runs end to end and reports what the README quotes (figures are not asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from newsroom_shared.cli import parser

NEWSROOM = str(Path(sys.executable).with_name("newsroom"))


def bench(*args: str) -> tuple[list[str], dict[str, Any]]:
    # a fresh embedded server, never a developer's NEWSROOM_REDIS_URL
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    out = subprocess.run(
        [NEWSROOM, "bench", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    return lines, json.loads(lines[-1])


def check_common(figures: dict[str, Any], mode: str, articles: int) -> None:
    assert figures["mode"] == mode
    assert figures["articles"] == figures["published"] == articles  # every article arrived
    for key in ("articles_per_s", "baseline_per_s", "p50_ms", "p99_ms"):
        assert figures[key] > 0, key
    assert figures["ratio"] == pytest.approx(figures["articles_per_s"] / figures["baseline_per_s"], abs=0.002)
    assert figures["p50_ms"] <= figures["p99_ms"]
    assert set(figures["rss_mb"]) == {"ingest", "enrich", "publish"}
    assert all(mb > 10 for mb in figures["rss_mb"].values())
    assert {"ingest", "enrich", "publish", "server"} <= set(figures["cpu_us_per_article"])


def test_relay_bench_measures_services_and_raw_relay_in_one_run() -> None:
    lines, figures = bench("--mode", "relay", "--articles", "300", "--batch-size", "32")
    check_common(figures, "relay", 300)
    assert figures["batch_size"] == 32
    assert figures["baseline"].startswith("raw redis-py relay")
    assert figures["baseline_p99_ms"] > 0
    assert {"relays", "server"} <= set(figures["baseline_cpu_us_per_article"])
    assert any(line.startswith("articles/s") for line in lines[:-1])  # the table precedes the JSON


def test_full_bench_compares_with_in_process_enrichment_and_times_each_enricher() -> None:
    _, figures = bench("--mode", "full", "--articles", "40", "--rate", "100")
    check_common(figures, "full", 40)
    assert figures["rate"] == 100
    assert figures["baseline"] == "in-process enrichment"
    assert {"entities", "keywords", "summary", "slug"} <= set(figures["per_enricher_us"])


def test_a_batch_size_the_services_would_refuse_is_refused_before_anything_starts() -> None:
    out = subprocess.run([NEWSROOM, "bench", "--batch-size", "0"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "--batch-size: Input should be greater than or equal to 1 (NEWSROOM_BATCH_SIZE)" in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["bench", "--rate", "0"],  # would have run unpaced, as if no rate were given
        ["bench", "--articles", "-3"],
        ["bench", "--enrich-replicas", "0"],
        ["soak", "--replicas", "0"],  # would have ended in a KeyError
        ["soak", "--revise-every", "0"],
    ],
)
def test_counts_and_rates_below_one_are_refused_before_anything_starts(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(args)
    assert exited.value.code == 2
