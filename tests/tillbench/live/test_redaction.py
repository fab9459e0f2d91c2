"""The run's credentials masked in text and JSON trees; private files."""

from __future__ import annotations

import stat
from pathlib import Path

from tillbench.live.redaction import Secrets, write_private


def test_tokens_passwords_and_url_passwords_are_masked() -> None:
    secrets = Secrets()
    secrets.add("conn-0123456789abcdef", None, "")
    secrets.add_url("postgresql://till:s3cret-pw@db:5432/bench")
    secrets.add_env(
        {
            "TILLBENCH_ERP_TOKEN": "admin:tryton-pass",
            "TILLBENCH_WEBHOOK_SECRET": "whsec-abcdef",
            "TILLBENCH_POS_URL": "http://127.0.0.1:8101",
            "OTHER_DB": "mysql://u:mysql-pw@h/d",
        }
    )
    text = (
        "Bearer conn-0123456789abcdef; s3cret-pw; login admin:tryton-pass, tryton-pass alone; "
        "whsec-abcdef; mysql-pw; postgresql://someone:unknown-pw@h/x; http://127.0.0.1:8101"
    )
    assert secrets.mask(text) == (
        "Bearer ***; ***; login ***, *** alone; ***; ***; postgresql://someone:***@h/x; "
        "http://127.0.0.1:8101"
    )


def test_json_trees_are_masked_everywhere() -> None:
    secrets = Secrets()
    secrets.add("tb-feedfacecafe")
    tree = {"a": ["x tb-feedfacecafe", {"b": "tb-feedfacecafe"}], "n": 3, "none": None}
    assert secrets.mask_tree(tree) == {"a": ["x ***", {"b": "***"}], "n": 3, "none": None}


def test_private_files_are_the_owners_only_even_when_they_existed(tmp_path: Path) -> None:
    path = tmp_path / "env.sh"
    path.write_text("old")
    path.chmod(0o644)
    write_private(path, "export A=1\n")
    assert path.read_text() == "export A=1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
