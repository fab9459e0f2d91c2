"""Duplicate profiles: ERP customers sharing an email, compared case-insensitively."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from reports._arrow import strings
from reports._verdict import DuplicateProfiles

__all__ = ["EXAMPLES", "duplicate_profiles"]

EXAMPLES = 5


def duplicate_profiles(customers: pa.Table) -> DuplicateProfiles:
    """Emails held by more than one ERP customer (blank emails ignored)."""
    email = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(strings(customers, "email"), "")))
    email = email.filter(pc.not_equal(email, ""))
    counts = pc.value_counts(email)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    emails = sorted(repeated.field("values").to_pylist())
    extra = int(pc.sum(repeated.field("counts")).as_py() or 0) - len(emails)
    return DuplicateProfiles(emails=len(emails), extra_profiles=extra, examples=emails[:EXAMPLES])
