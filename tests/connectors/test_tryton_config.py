"""``TILLBENCH_ERP_KIND``: Business Central unless told otherwise; Tryton needs a login."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_conn_config import environ

from connectors.common.config import ContractEnv
from connectors.common.errors import ConfigError

TRYTON = {
    "TILLBENCH_ERP_KIND": "tryton",
    "TILLBENCH_ERP_URL": "http://127.0.0.1:8000/tillbench/",
    "TILLBENCH_ERP_TOKEN": "admin:s3cret:with-colon",
}


def test_business_central_is_the_default(tmp_path: Path) -> None:
    assert ContractEnv.from_environ(environ(tmp_path)).erp_kind == "business-central"


def test_tryton_kind_reads_the_login(tmp_path: Path) -> None:
    env = ContractEnv.from_environ(environ(tmp_path, **TRYTON))
    assert env.erp_kind == "tryton"
    assert env.erp_login == ("admin", "s3cret:with-colon")
    assert env.erp_url == "http://127.0.0.1:8000/tillbench"


def test_unknown_kind_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_ERP_KIND="odoo"))
    assert str(caught.value) == (
        "TILLBENCH_ERP_KIND: must be business-central or tryton, got 'odoo'"
    )


@pytest.mark.parametrize("token", ["admin", ":password", "admin:"])
def test_tryton_token_must_be_user_colon_password(tmp_path: Path, token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, **{**TRYTON, "TILLBENCH_ERP_TOKEN": token}))
    assert str(caught.value) == (
        "TILLBENCH_ERP_TOKEN: must be USER:PASSWORD of the Tryton login, got '<hidden>'"
    )
