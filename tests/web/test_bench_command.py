import json
import os
import subprocess
import sys


def test_bench_prints_named_figures_with_their_baseline_and_ratio(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        TRELLIS_BENCH_DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        TRELLIS_HOME=str(tmp_path),
    )

    result = subprocess.run(
        [sys.executable, "-m", "trellis.cli", "bench", "--quick", "--only", "audit", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    (row,) = json.loads(result.stdout)
    assert set(row) == {"name", "value", "unit", "target", "baseline", "ratio", "n"}
    assert row["name"] == "audit.writes_per_s"
    assert row["value"] > 0
    assert row["ratio"] == round(row["value"] / row["baseline"], 3)
