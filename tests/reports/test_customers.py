"""Duplicate customer profiles: ERP customers sharing an email."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import reports
from tests.reports.verify_support import edit, read


def test_same_email_in_other_case_is_a_duplicate_profile(run_dir: Path) -> None:
    def twin(customers: pd.DataFrame) -> pd.DataFrame:
        copy = customers.iloc[[0, 1, 1]].copy()
        copy["id"] = ["dup-a", "dup-b", "dup-c"]
        copy["email"] = copy["email"].str.upper()
        return pd.concat([customers, copy], ignore_index=True)

    first_two = sorted(read(run_dir, "erp/customers")["email"].str.lower().iloc[:2])
    edit(run_dir, "erp/customers", twin)

    profiles = reports.verify(run_dir).duplicate_profiles

    assert profiles is not None
    assert (profiles.emails, profiles.extra_profiles) == (2, 3)
    assert profiles.examples == first_two
