"""The soak benchmark: its growth figures, and a short soak of the real stack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks import soak


def _samples(values: list[float]) -> list[dict[str, float]]:
    return [{"t": float(i * 10), "pos_mib": v} for i, v in enumerate(values)]


def test_growth_compares_the_end_with_the_end_of_the_warm_up() -> None:
    samples = _samples([50, 90, 100, 100, 100, 105, 110, 110, 110])
    found = soak.growth(samples, "pos_mib", warmup_s=20)
    assert found["warm_mib"] == 100
    assert found["end_mib"] == 110
    assert found["growth"] == pytest.approx(1.1)
    assert found["slope_mib_per_h"] > 0


def test_flat_memory_is_a_growth_of_one() -> None:
    found = soak.growth(_samples([80, 100, 100, 100, 100]), "pos_mib", warmup_s=10)
    assert found["growth"] == 1.0
    assert found["slope_mib_per_h"] == 0.0


def test_too_few_samples_after_the_warm_up_give_no_figure() -> None:
    assert soak.growth(_samples([1, 2, 3]), "pos_mib", warmup_s=25)["growth"] is None


def test_rss_of_this_process_is_read_and_gone_processes_count_zero() -> None:
    assert soak.rss_bytes([os.getpid()]) > 10 * 2**20
    assert soak.rss_bytes([2**22 + 12345]) == 0


def test_the_duration_comes_from_the_argument_the_environment_or_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TILLBENCH_SOAK_SECONDS", raising=False)
    assert soak._seconds(False, None) == 1800
    assert soak._seconds(True, None) == 120
    monkeypatch.setenv("TILLBENCH_SOAK_SECONDS", "90")
    assert soak._seconds(False, None) == 90
    assert soak._seconds(False, 30) == 30


@pytest.mark.slow
def test_a_short_soak_keeps_the_stack_posting_and_reports_growth() -> None:
    result = soak.run(seconds=40, rate=4, sample_every=2, progress=False)
    assert result["sent"] >= 150
    assert result["accepted"] == result["sent"]
    assert result["posted"] == result["sent"], "every sale reached the ERP"
    assert result["backlog_end"] == 0
    assert result["connector_exits"] == []
    assert len(result["samples"]) >= 15
    for name in ("pos", "erp", "connector"):
        figures = result["processes"][name]
        assert figures["warm_mib"] > 20, name
        assert 0.5 < figures["growth"] < 2.0, (name, figures)
    assert set(result["targets"]) == {"growth_below_1.10"}


def test_out_naming_a_missing_folder_is_refused_before_the_soak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        soak.main(["--seconds", "1", "--out", str(tmp_path / "no" / "soak.json")])
    assert stopped.value.code == 2
    assert f"--out: {tmp_path / 'no'} is not a folder" in capsys.readouterr().err
