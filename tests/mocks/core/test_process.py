"""A mock in a child process: what it wrote to stderr comes back with credentials masked."""

from __future__ import annotations

from mocks.core.process import MockProcess


def test_the_log_masks_the_tokens_and_the_database_password() -> None:
    server = MockProcess(
        "mocks.erp.bc.app:create_app",
        settings={
            "db_url": "postgresql://till:hunter22@127.0.0.1:1/bench",
            "api_tokens": {"api-secret-9": "qa"},
            "admin_token": "adm-secret-1",
        },
    )
    server._log.write(
        b"failed: postgresql://till:hunter22@127.0.0.1:1/bench\n"
        b"password hunter22 tokens api-secret-9 adm-secret-1\n"
    )
    try:
        log = server.log()
    finally:
        server.stop()
    assert log == ("failed: postgresql://till:***@127.0.0.1:1/bench\npassword *** tokens *** ***\n")
