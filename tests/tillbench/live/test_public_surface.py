"""What `tillbench.live` exports, and its error hierarchy."""

from __future__ import annotations


def test_public_surface_of_the_live_package() -> None:
    import tillbench.live as live

    assert sorted(live.__all__) == sorted(
        [
            "REFERENCE_CONNECTORS",
            "ConnectorNotHealthy",
            "ConnectorSpec",
            "Driver",
            "ErpTarget",
            "HarnessError",
            "LiveError",
            "LiveRun",
            "LiveStatus",
            "PosTarget",
            "SentRecord",
            "TimedAction",
            "Txn",
            "UsageError",
            "erp_target",
            "pos_target",
            "resolve_connector",
            "run_live",
        ]
    )
    assert all(getattr(live, name) is not None for name in live.__all__)
    assert issubclass(live.ConnectorNotHealthy, live.UsageError)
    assert issubclass(live.UsageError, live.LiveError)
    assert issubclass(live.HarnessError, live.LiveError)
