"""Who applies each fault: against a real ERP, the mock ERP's faults are not applicable."""

from __future__ import annotations

from pathlib import Path

import scenarios
from tillbench.live.faults import NOT_APPLICABLE, plan_faults


def test_erp_faults_are_not_applicable_to_a_real_erp(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nextends: demo\nduration: 15m\nfaults:\n"
        '  - {at: "11:03", for: 2m, target: erp, kind: outage}\n'
        '  - {at: "11:06", for: 3m, target: "store:1", kind: offline}\n'
        '  - {at: "11:07", for: 1m, target: pos, kind: errors, rate: 0.5}\n'
    )
    scenario = scenarios.load(str(path))

    mock = plan_faults(scenario, speed=60.0)
    real = plan_faults(scenario, speed=60.0, mock_erp=False)

    assert [f.applied_by for f in mock.faults] == ["erp", "driver", "pos"]
    assert [f.applied_by for f in real.faults] == [NOT_APPLICABLE, "driver", "pos"]
    assert [f.target for f in real.timeline()] == ["store:1", "pos"]
    assert [f.target for f in real.not_applicable()] == ["erp"]
    assert [f.target for f in real.mock_faults()] == ["pos"]
