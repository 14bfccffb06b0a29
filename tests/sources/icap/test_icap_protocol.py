"""The ICAP wire format: requests read strictly, malformed ones answered with an ICAP status."""

from __future__ import annotations

import asyncio

import pytest

from scanner.sources.icap.protocol import IcapError, WireLimits, parse_encapsulated, read_chunks, read_request

HTTP_HEAD = b"POST /post HTTP/1.1\r\nHost: blog.example\r\nContent-Length: 11\r\n\r\n"


def _reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=2 ** 16)
    reader.feed_data(data)
    reader.feed_eof()
    return reader


def _read(data: bytes, limits: WireLimits = WireLimits()):
    async def go():
        reader = _reader(data)
        request = await read_request(reader, limits)
        body = await read_chunks(reader, limits, 1 << 20) if request.body_section else None
        return request, body

    return asyncio.run(go())


def _reqmod(head: bytes = HTTP_HEAD, body: bytes = b"b\r\nhello world\r\n0\r\n\r\n", extra: bytes = b"") -> bytes:
    return (b"REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nAllow: 204\r\n" + extra
            + b"Encapsulated: req-hdr=0, req-body=%d\r\n\r\n" % len(head) + head + body)


def test_a_reqmod_gives_its_service_http_head_and_chunked_body():
    request, body = _read(_reqmod())
    assert (request.method, request.service, request.allows_204) == ("REQMOD", "/reqmod", True)
    assert request.http_heads["req-hdr"] == HTTP_HEAD
    assert body == (b"hello world", False, False)


def test_a_preview_that_holds_the_whole_body_ends_with_ieof():
    request, body = _read(_reqmod(body=b"5\r\nhello\r\n0; ieof\r\n\r\n", extra=b"Preview: 1024\r\n"))
    assert request.preview == 1024
    assert body == (b"hello", True, False)


def test_a_body_over_the_byte_limit_is_read_to_its_end_and_said_to_be_over():
    async def go():
        reader = _reader(_reqmod() + b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\n\r\n")
        request = await read_request(reader, WireLimits())
        body = await read_chunks(reader, WireLimits(), 4)
        return body, (await read_request(reader, WireLimits())).method  # still in step with the client

    assert asyncio.run(go()) == ((b"", False, True), "OPTIONS")


@pytest.mark.parametrize("value", ["req-hdr=5, req-body=9", "req-hdr=0, req-body=0", "req-hdr=0", "body=0",
                                   "req-hdr=0, null-body=10, req-body=20", "req-hdr=x"])
def test_bad_encapsulated_headers_are_400(value):
    with pytest.raises(IcapError) as err:
        parse_encapsulated(value)
    assert err.value.status == 400


@pytest.mark.parametrize("wire", [
    _reqmod(body=b"zz\r\nhello\r\n0\r\n\r\n"),  # a chunk size that is no number
    _reqmod(body=b"b\r\nhello"),  # truncated in a chunk
    _reqmod(body=b"3\r\nhello world\r\n0\r\n\r\n"),  # a chunk longer than its size
    _reqmod(head=HTTP_HEAD[:-2] + b"XX"),  # offsets that do not end the HTTP head
    b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n",  # no Encapsulated
    b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=500\r\n\r\n" + HTTP_HEAD,
    b"REQMOD icap://127.0.0.1/reqmod\r\n\r\n",  # no version
    b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nbroken header\r\n\r\n",
])
def test_malformed_requests_are_icap_errors_never_passed(wire):
    with pytest.raises(IcapError) as err:
        _read(wire)
    assert err.value.status == 400


def test_another_icap_version_is_505_and_huge_headers_are_413():
    with pytest.raises(IcapError) as err:
        _read(b"REQMOD icap://127.0.0.1/reqmod ICAP/2.0\r\n\r\n")
    assert err.value.status == 505
    with pytest.raises(IcapError) as err:
        _read(b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
    assert err.value.status == 413


def test_a_client_closing_between_requests_is_end_of_file_not_an_error():
    with pytest.raises(EOFError):
        _read(b"")
