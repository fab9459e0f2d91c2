"""The OData v4 ``multipart/mixed`` batch format: parsing a request body into requests and
change sets, and writing the response in the same format (OData Version 4.0 Part 1:
Protocol, 11.7 Batch Requests; RFC 2046 for the multipart syntax).

A batch body is a series of parts, each either one request (``Content-Type:
application/http``, ``Content-Transfer-Encoding: binary``, the HTTP request inside) or a
change set (``Content-Type: multipart/mixed; boundary=…``) of requests that change data,
each with a ``Content-ID``; a later request of the change set may address what an earlier
one created as ``$<Content-ID>``. The response has one part per request or change set, in
the same order; a change set that failed is answered by the failing request's response
alone. Nothing here touches the ERP: `mocks.erp.bc.routes.batch` runs the requests.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus

MULTIPART = "multipart/mixed"
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


class Malformed(ValueError):
    """The body is not a batch in the multipart format; the message says where."""


@dataclass(frozen=True, slots=True)
class Request:
    """One request of the batch."""

    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes
    content_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Requests that commit together or not at all."""

    requests: list[Request]


@dataclass(frozen=True, slots=True)
class Reply:
    """The response to one request."""

    status: int
    headers: dict[str, str]
    body: bytes
    content_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeSetReply:
    """The responses of a change set that was applied."""

    replies: list[Reply] = field(default_factory=list)


def boundary_of(content_type: str) -> str | None:
    """The ``boundary`` parameter of a ``multipart/mixed`` content type (None otherwise)."""
    message = Message()
    message["content-type"] = content_type
    if message.get_content_type() != MULTIPART:
        return None
    found = message.get_param("boundary")
    return found if isinstance(found, str) and found else None


def parse(body: bytes, content_type: str) -> list[Request | ChangeSet]:
    """The requests and change sets of a batch body, in order."""
    boundary = boundary_of(content_type)
    if boundary is None:
        raise Malformed(
            f"Content-Type must be multipart/mixed with a boundary, got {content_type!r}"
        )
    items: list[Request | ChangeSet] = []
    for index, part in enumerate(_split(body, boundary, "batch")):
        where = f"part {index + 1}"
        headers, content = _headers_and_rest(part, where)
        kind = headers.get("content-type", "")
        inner = boundary_of(kind)
        if inner is not None:
            items.append(_change_set(content, inner, where))
        else:
            items.append(_request(headers, content, where))
    return items


def _change_set(body: bytes, boundary: str, where: str) -> ChangeSet:
    requests = []
    for index, part in enumerate(_split(body, boundary, f"the change set of {where}")):
        inner = f"{where}, change set request {index + 1}"
        headers, content = _headers_and_rest(part, inner)
        if boundary_of(headers.get("content-type", "")) is not None:
            raise Malformed(f"{inner}: a change set cannot contain another change set")
        request = _request(headers, content, inner)
        if request.method == "GET":
            raise Malformed(
                f"{inner}: a change set holds only requests that change data, not GET; "
                "put the GET outside the change set"
            )
        if request.content_id is None:
            raise Malformed(f"{inner}: every request of a change set needs a Content-ID header")
        requests.append(request)
    ids = [r.content_id for r in requests]
    if len(set(ids)) != len(ids):
        raise Malformed(f"{where}: Content-ID values must be unique within the change set")
    return ChangeSet(requests)


def _request(headers: dict[str, str], content: bytes, where: str) -> Request:
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/http":
        raise Malformed(
            f"{where}: Content-Type must be application/http (one request) or multipart/mixed "
            f"(a change set), got {headers.get('content-type', '')!r}"
        )
    encoding = headers.get("content-transfer-encoding", "binary").strip().lower()
    if encoding != "binary":
        raise Malformed(f"{where}: Content-Transfer-Encoding must be binary, got {encoding!r}")
    text, body = _split_message(content)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise Malformed(f"{where}: no request line such as 'GET companies HTTP/1.1'")
    words = lines[0].split()
    if len(words) not in (2, 3) or words[0].upper() not in METHODS:
        raise Malformed(
            f"{where}: the request line must be 'METHOD URL HTTP/1.1' with METHOD one of "
            f"{', '.join(METHODS)}, got {lines[0]!r}"
        )
    if len(words) == 3 and not words[2].startswith("HTTP/"):
        raise Malformed(f"{where}: unknown protocol {words[2]!r} in {lines[0]!r}")
    fields = [_header_line(line, where) for line in lines[1:] if line.strip()]
    return Request(
        method=words[0].upper(),
        url=words[1],
        headers=fields,
        body=body,
        content_id=headers.get("content-id"),
    )


def _split(body: bytes, boundary: str, what: str) -> list[bytes]:
    """The parts between the delimiter lines of ``boundary`` (RFC 2046: the line break
    before a delimiter belongs to it; a preamble and an epilogue are ignored)."""
    delimiter = b"--" + boundary.encode("latin-1")
    closing = delimiter + b"--"
    parts: list[bytes] = []
    current: list[bytes] | None = None
    for line in body.splitlines(keepends=True):
        bare = line.rstrip(b"\r\n").rstrip(b" \t")
        if bare in (delimiter, closing):
            if current is not None:
                parts.append(_without_last_break(b"".join(current)))
            if bare == closing:
                break
            current = []
        elif current is not None:
            current.append(line)
    else:
        raise Malformed(
            f"{what}: no closing delimiter --{boundary}-- (is the boundary of the Content-Type "
            "the one the body uses?)"
        )
    if not parts:
        raise Malformed(f"{what}: no part between the --{boundary} delimiters")
    return parts


def _without_last_break(chunk: bytes) -> bytes:
    if chunk.endswith(b"\r\n"):
        return chunk[:-2]
    return chunk[:-1] if chunk.endswith(b"\n") else chunk


def _split_message(content: bytes) -> tuple[str, bytes]:
    """Header block (as text) and body of an HTTP message or MIME part."""
    if content.startswith((b"\r\n", b"\n")):
        return "", content.split(b"\n", 1)[1]
    match = _BLANK_LINE.search(content)
    if match is None:
        return content.decode("latin-1"), b""
    return content[: match.start()].decode("latin-1"), content[match.end() :]


def _headers_and_rest(part: bytes, where: str) -> tuple[dict[str, str], bytes]:
    text, rest = _split_message(part)
    headers = {}
    for line in text.splitlines():
        if line.strip():
            name, value = _header_line(line, where)
            headers[name.lower()] = value
    return headers, rest


def _header_line(line: str, where: str) -> tuple[str, str]:
    name, sep, value = line.partition(":")
    if not sep or not name.strip() or name != name.strip():
        raise Malformed(f"{where}: not a header line 'Name: value': {line!r}")
    return name.strip(), value.strip()


def render(items: list[Reply | ChangeSetReply]) -> tuple[bytes, str]:
    """The response body and its content type."""
    boundary = f"batchresponse_{uuid.uuid4()}"
    chunks: list[bytes] = []
    for item in items:
        chunks.append(f"--{boundary}\r\n".encode())
        if isinstance(item, ChangeSetReply):
            inner = f"changesetresponse_{uuid.uuid4()}"
            chunks.append(f"Content-Type: {MULTIPART}; boundary={inner}\r\n\r\n".encode())
            for reply in item.replies:
                chunks.append(f"--{inner}\r\n".encode())
                chunks.append(_reply(reply))
            chunks.append(f"--{inner}--\r\n".encode())
        else:
            chunks.append(_reply(item))
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"{MULTIPART}; boundary={boundary}"


def _reply(reply: Reply) -> bytes:
    head = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if reply.content_id is not None:
        head.append(f"Content-ID: {reply.content_id}")
    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = ""
    lines = [f"HTTP/1.1 {reply.status} {phrase}".rstrip()]
    lines += [f"{name}: {value}" for name, value in reply.headers.items()]
    if reply.body:
        lines.append(f"Content-Length: {len(reply.body)}")
    message = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + reply.body
    return "\r\n".join(head).encode() + b"\r\n\r\n" + message + b"\r\n"
