"""The multipart/mixed batch format on its own: RFC 2046 details (quoted boundary, preamble
and epilogue, the line break before a delimiter belongs to it, bare LF line ends accepted)
and responses Python's own MIME parser reads back."""

from __future__ import annotations

import email
import email.policy

import pytest

from mocks.erp.bc import multipart

CT = 'multipart/mixed; boundary="batch_1"'


def test_a_body_with_preamble_epilogue_and_bare_line_feeds() -> None:
    body = (
        b"This is a preamble.\n"
        b"--batch_1\n"
        b"Content-Type: application/http\n"
        b"Content-Transfer-Encoding: binary\n"
        b"\n"
        b"POST items HTTP/1.1\n"
        b"Content-Type: application/json\n"
        b"\n"
        b'{"displayName": "a\\r\\nb"}\n'
        b"--batch_1--\n"
        b"an epilogue\n"
    )
    [request] = multipart.parse(body, CT)
    assert isinstance(request, multipart.Request)
    assert (request.method, request.url) == ("POST", "items")
    assert request.headers == [("Content-Type", "application/json")]
    assert request.body == b'{"displayName": "a\\r\\nb"}'


def test_a_change_set_keeps_its_content_ids_in_order() -> None:
    body = (
        b"--batch_1\r\n"
        b"Content-Type: multipart/mixed; boundary=cs\r\n\r\n"
        b"--cs\r\nContent-Type: application/http\r\nContent-ID: 7\r\n\r\n"
        b"DELETE items(1) HTTP/1.1\r\n\r\n\r\n"
        b"--cs\r\nContent-Type: application/http\r\nContent-ID: 8\r\n\r\n"
        b"POST $7/x HTTP/1.1\r\n\r\n\r\n"
        b"--cs--\r\n"
        b"--batch_1--\r\n"
    )
    [change_set] = multipart.parse(body, CT)
    assert isinstance(change_set, multipart.ChangeSet)
    assert [(r.content_id, r.method, r.url) for r in change_set.requests] == [
        ("7", "DELETE", "items(1)"),
        ("8", "POST", "$7/x"),
    ]


def test_duplicate_content_ids_are_refused() -> None:
    part = (
        "--cs\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nDELETE a HTTP/1.1\r\n\r\n"
    )
    body = (
        f"--batch_1\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n{part}\r\n{part}\r\n"
        "--cs--\r\n--batch_1--\r\n"
    ).encode()
    with pytest.raises(multipart.Malformed, match="unique"):
        multipart.parse(body, CT)


@pytest.mark.parametrize("content_type", ["application/json", "multipart/mixed"])
def test_the_content_type_needs_multipart_and_a_boundary(content_type: str) -> None:
    with pytest.raises(multipart.Malformed, match="with a boundary"):
        multipart.parse(b"--batch_1--", content_type)


def test_responses_read_back_with_python_s_mime_parser() -> None:
    ok = multipart.Reply(200, {"content-type": "application/json"}, b'{"a": 1}')
    created = multipart.Reply(201, {"etag": 'W/"1"'}, b"{}", content_id="1")
    body, content_type = multipart.render([ok, multipart.ChangeSetReply([created])])
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    first, change_set = list(message.iter_parts())
    assert first.get_payload(decode=True).startswith(b"HTTP/1.1 200 OK\r\n")
    [inner] = list(change_set.iter_parts())
    assert inner["Content-ID"] == "1"
    payload = inner.get_payload(decode=True)
    assert payload.startswith(b'HTTP/1.1 201 Created\r\netag: W/"1"\r\n')
    assert payload.endswith(b"\r\n\r\n{}")
