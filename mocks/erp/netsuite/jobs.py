"""Asynchronous requests: ``Prefer: respond-async`` → 202 with ``Location:
/services/rest/async/v1/job/{id}``; the job waits ``async_delay`` seconds in the queue,
then runs the request as a synchronous one would; its status at ``…/job/{id}``, its task at
``…/job/{id}/task/{taskId}`` and the request's answer at ``…/task/{taskId}/result``
(Oracle, "REST Web Services Request Processing", "Sending an Asynchronous Request",
"Polling for the Status of a Completed Asynchronous Request").

``X-NetSuite-Idempotency-Key`` works on asynchronous requests only: a second request with
a key already used is refused with 400 "Conflict", ``IDEMPOTENCY_ERROR``, and a
``Location`` naming the first job (Oracle, "Sending an Asynchronous Request Using an
Idempotency Key"). Jobs live in the memory of the worker process that took them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from mocks.core import ApiError
from mocks.erp.netsuite.errors import ns_error

__all__ = ["ASYNC_PREFIX", "Job", "JobQueue"]

ASYNC_PREFIX = "/services/rest/async/v1/job"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Job:
    """One asynchronous request and its single task."""

    id: int
    key: str | None
    progress: str = "pending"
    start: str | None = None
    end: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def completed(self) -> bool:
        return self.progress in ("succeeded", "failed")


class JobQueue:
    """The jobs of one worker process."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.jobs: dict[int, Job] = {}
        self._keys: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(
        self,
        key: str | None,
        run: Callable[[], Awaitable[Response]],
        render: Callable[[Exception], Response],
        base: str,
    ) -> Response:
        """Queue ``run``; the 202 (or the idempotency refusal)."""
        if key is not None:
            if not key.strip() or len(key) > 200:
                raise ns_error(
                    400,
                    "The idempotency key must be 1 to 200 characters (a UUID).",
                    "INVALID_PARAMETER",
                    field="X-NetSuite-Idempotency-Key",
                )
            if key in self._keys:
                raise ns_error(
                    400,
                    "A request with the same idempotency key is already submitted. See the "
                    '"Location" header for a link to the previously submitted job',
                    "IDEMPOTENCY_ERROR",
                    field="X-NetSuite-Idempotency-Key",
                    headers={
                        "Location": f"{base}{ASYNC_PREFIX}/{self._keys[key]}",
                        "Preference-Applied": "respond-async",
                    },
                )
        job = Job(id=len(self.jobs) + 1, key=key)
        self.jobs[job.id] = job
        if key is not None:
            self._keys[key] = job.id
        task = asyncio.get_running_loop().create_task(self._run(job, run, render))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return Response(
            status_code=202,
            media_type="application/json",
            headers={
                "Location": f"{base}{ASYNC_PREFIX}/{job.id}",
                "Preference-Applied": "respond-async",
            },
        )

    async def _run(
        self,
        job: Job,
        run: Callable[[], Awaitable[Response]],
        render: Callable[[Exception], Response],
    ) -> None:
        await asyncio.sleep(self.delay)
        job.progress = "processing"
        job.start = _now()
        try:
            response = await run()
        except Exception as exc:  # rendered as the task's result, as NetSuite reports it
            response = render(exc)
        job.status = response.status_code
        job.headers = {
            k: v for k, v in response.headers.items() if k.lower() in ("location", "content-type")
        }
        job.body = bytes(response.body)
        job.end = _now()
        job.progress = "succeeded" if response.status_code < 400 else "failed"

    def get(self, job_id: str) -> Job:
        """The job ``job_id``, or 404."""
        job = self.jobs.get(int(job_id)) if job_id.isdigit() and len(job_id) < 12 else None
        if job is None:
            raise ns_error(404, f"The job {job_id!r} does not exist.", "NONEXISTENT_ID", field="id")
        return job

    async def drain(self) -> None:
        """Wait for every queued job (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))


def job_json(job: Job, base: str) -> dict[str, Any]:
    href = f"{base}{ASYNC_PREFIX}/{job.id}"
    return {
        "links": [{"rel": "self", "href": href}],
        "completed": job.completed,
        "id": str(job.id),
        "progress": job.progress,
        "task": {"links": [{"rel": "self", "href": f"{href}/task"}]},
    }


def tasks_json(job: Job, base: str) -> dict[str, Any]:
    href = f"{base}{ASYNC_PREFIX}/{job.id}/task"
    return {
        "links": [{"rel": "self", "href": href}],
        "count": 1,
        "hasMore": False,
        "items": [{"links": [{"rel": "self", "href": f"{href}/{job.id}"}], "id": str(job.id)}],
        "offset": 0,
        "totalResults": 1,
    }


def task_json(job: Job, base: str) -> dict[str, Any]:
    href = f"{base}{ASYNC_PREFIX}/{job.id}/task/{job.id}"
    body: dict[str, Any] = {
        "links": [{"rel": "related", "href": f"{href}/result"}, {"rel": "self", "href": href}],
        "completed": job.completed,
        "id": str(job.id),
        "progress": job.progress,
    }
    if job.start:
        body["startTime"] = job.start
    if job.end:
        body["endTime"] = job.end
    return body


def task_result(job: Job) -> Response:
    """The answer the request got, or 400 while it has not run."""
    if not job.completed or job.status is None:
        raise ApiError(
            400,
            f"The job {job.id} has not completed yet (progress: {job.progress}).",
            code="INVALID_PARAMETER",
            field="id",
        )
    return Response(job.body, status_code=job.status, headers=job.headers)
