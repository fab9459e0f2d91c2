"""A Business Central API v2.0 client: documents, item journals, the JSON ``$batch``,
items and customers of one company, and lookups by ``externalDocumentNumber`` (what makes
posting idempotent: `connectors.erp.bc.adapter` looks a document up before it sends again a
request whose outcome is unknown)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connectors.core.errors import ApiError
from connectors.core.http import HttpApi

SEGMENTS = {
    "invoice": "salesInvoices",
    "credit_memo": "salesCreditMemos",
}
JOURNAL_CODE = "TILLBENCH"


def odata_literal(value: str) -> str:
    """A string literal for ``$filter`` (single quotes doubled). Date-times are not strings
    in OData v4: they go unquoted (``lastModifiedDateTime gt 2026-11-27T14:05:00Z``)."""
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Per operation id: status and body. In a transactional batch (``atomic``) one failed
    operation means nothing was applied, whatever the others answered: Business Central
    reports the operations before the failure with their 2xx although it rolled them back."""

    answers: dict[str, tuple[int, Any]]
    atomic: bool = False

    @property
    def applied(self) -> bool:
        """Whether the operations' 2xx answers stand (no failure in a transactional batch)."""
        return not self.atomic or all(200 <= s < 300 for s, _ in self.answers.values())

    def failure(self) -> tuple[str, int, Any] | None:
        """The operation that failed (id, status, body), the first if several did."""
        for op_id, (status, body) in self.answers.items():
            if status >= 400 and status != 424:
                return op_id, status, body
        return None


class BcClient:
    """Business Central v2.0 endpoints of one company."""

    def __init__(self, api: HttpApi, company_id: str) -> None:
        self.api = api
        self.company = company_id
        self.root = f"/companies({company_id})"
        self._journal_id: str | None = None
        self._filter_customers = True

    def path(self, segment: str) -> str:
        """Company-relative path of an entity set."""
        return f"{self.root}/{segment}"

    def find_all(self, kind: str, ext_no: str) -> list[dict[str, Any]]:
        """Every document of ``kind`` with this external document number, drafts included
        (standard Business Central does not keep the number unique)."""
        reply = self.api.call(
            "GET",
            self.path(SEGMENTS[kind]),
            params={"$filter": f"externalDocumentNumber eq {odata_literal(ext_no)}"},
        )
        return list((reply.body or {}).get("value") or [])

    def document_path(self, kind: str, doc_id: str) -> str:
        """Company-relative path of one document."""
        return self.path(f"{SEGMENTS[kind]}({doc_id})")

    def post_path(self, kind: str, doc_id: str) -> str:
        """The bound action that posts a draft (``Microsoft.NAV.post``)."""
        return f"{self.document_path(kind, doc_id)}/Microsoft.NAV.post"

    def get_document(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        """One document by id (None when it no longer exists)."""
        try:
            body: dict[str, Any] = self.api.call("GET", self.document_path(kind, doc_id)).body
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        return body

    def journal_id(self) -> str:
        """The id of the connector's item journal batch (created on first use)."""
        if self._journal_id is None:
            reply = self.api.call(
                "GET",
                self.path("itemJournals"),
                params={"$filter": f"code eq {odata_literal(JOURNAL_CODE)}"},
            )
            values = (reply.body or {}).get("value") or []
            if values:
                self._journal_id = str(values[0]["id"])
            else:
                try:
                    created = self.api.call(
                        "POST",
                        self.path("itemJournals"),
                        json={"code": JOURNAL_CODE, "displayName": "tillbench connector"},
                    )
                    self._journal_id = str(created.body["id"])
                except ApiError as error:
                    if error.status != 409:
                        raise
                    return self.journal_id()
        return self._journal_id

    def journal_path(self) -> str:
        """Path of the journal's lines."""
        return self.path(f"itemJournals({self.journal_id()})/journalLines")

    def find_journal_line(self, ext_no: str) -> dict[str, Any] | None:
        """The journal line with this external document number, if any."""
        reply = self.api.call(
            "GET",
            self.journal_path(),
            params={"$filter": f"externalDocumentNumber eq {odata_literal(ext_no)}"},
        )
        values = (reply.body or {}).get("value") or []
        return values[0] if values else None

    def batch_once(self, operations: Sequence[dict[str, Any]], *, atomic: bool) -> BatchResult:
        """One ``$batch`` call (raises `Transient`); ``atomic`` sends ``Isolation: snapshot``."""
        headers = {"Isolation": "snapshot"} if atomic else {"Prefer": "odata.continue-on-error"}
        base = self.api.base_url
        root = base[: base.rfind("/api/")] if "/api/" in base else base
        reply = self.api.once(
            "POST",
            f"{root}/api/v2.0/$batch" if "/api/v2.0" in base else f"{base}/$batch",
            json={"requests": list(operations)},
            headers=headers,
        )
        if reply.status >= 400:
            raise ApiError("POST", "$batch", reply.status, str(reply.body))
        answers = {
            str(a["id"]): (int(a["status"]), a.get("body"))
            for a in (reply.body or {}).get("responses") or []
        }
        return BatchResult(answers, atomic)

    def batch_url(self, segment: str) -> str:
        """URL of an entity set inside a ``$batch`` (relative to the API root)."""
        return f"companies({self.company})/{segment}"

    def items_changed_since(self, moment: str | None) -> list[dict[str, Any]]:
        """Items modified after ``moment`` (all items when None), following nextLinks."""
        params: dict[str, str] = {}
        if moment:
            params["$filter"] = f"lastModifiedDateTime gt {moment}"
        return self._collect(self.path("items"), params)

    def customers_changed_since(self, moment: str | None) -> list[dict[str, Any]]:
        """Customers modified after ``moment`` (all when None). An ERP that cannot filter
        customers on ``lastModifiedDateTime`` gets a full read, filtered here."""
        if moment and self._filter_customers:
            try:
                return self._collect(
                    self.path("customers"),
                    {"$filter": f"lastModifiedDateTime gt {moment}"},
                )
            except ApiError as error:
                if error.status != 400:
                    raise
                self._filter_customers = False
        everyone = self._collect(self.path("customers"), {})
        return [c for c in everyone if not moment or str(c.get("lastModifiedDateTime")) > moment]

    def foreign_journal_lines(self) -> list[dict[str, Any]]:
        """Lines of every item journal except the connector's own (ERP-side stock moves
        such as store deliveries)."""
        lines: list[dict[str, Any]] = []
        for journal in self._collect(self.path("itemJournals"), {}):
            if journal.get("code") == JOURNAL_CODE:
                continue
            lines.extend(
                self._collect(self.path(f"itemJournals({journal['id']})/journalLines"), {})
            )
        return lines

    def _collect(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        url: str | None = path
        query: dict[str, str] | None = params
        while url:
            body = self.api.call("GET", url, params=query).body or {}
            found.extend(body.get("value") or [])
            url = body.get("@odata.nextLink")
            query = None
        return found
