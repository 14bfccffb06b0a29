"""ICAP responses read back by the same strict reader a proxy would use."""

from __future__ import annotations

import asyncio

from scanner.sources.icap import responses
from scanner.sources.icap.protocol import WireLimits, parse_encapsulated, read_chunks


def _split(wire: bytes) -> tuple[list[str], bytes]:
    head, _, rest = wire.partition(b"\r\n\r\n")
    return head.decode("latin-1").split("\r\n"), rest


def _headers(lines: list[str]) -> dict[str, str]:
    return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}


def test_options_say_methods_preview_204_ttl_and_istag():
    lines, rest = _split(responses.options("rules-1.2", "REQMOD", 4096, 300, 100))
    headers = _headers(lines)
    assert lines[0] == "ICAP/1.0 200 OK" and rest == b""
    assert (headers["methods"], headers["allow"], headers["preview"], headers["istag"]) == (
        "REQMOD", "204", "4096", '"rules-1.2"')
    assert headers["options-ttl"] == "300" and headers["max-connections"] == "100"


def test_a_block_answer_carries_an_http_403_whose_offsets_and_chunks_are_right():
    page = "送信がブロックされました".encode()
    lines, rest = _split(responses.http_response("t", 403, "Forbidden", "text/html; charset=utf-8", page))
    sections = parse_encapsulated(_headers(lines)["encapsulated"])
    assert lines[0] == "ICAP/1.0 200 OK" and sections[0] == ("res-hdr", 0)
    http_head, chunks = rest[:sections[1][1]], rest[sections[1][1]:]
    assert http_head.startswith(b"HTTP/1.1 403 Forbidden\r\n") and http_head.endswith(b"\r\n\r\n")
    assert f"Content-Length: {len(page)}".encode() in http_head

    async def body():
        reader = asyncio.StreamReader()
        reader.feed_data(chunks)
        reader.feed_eof()
        return await read_chunks(reader, WireLimits(), 1 << 20)

    assert asyncio.run(body()) == (page, False, False)


def test_204_and_errors_have_no_body_and_errors_close_the_connection():
    assert _split(responses.no_content("t"))[0][0] == "ICAP/1.0 204 No Content"
    lines, rest = _split(responses.error(400, "t"))
    assert lines[0] == "ICAP/1.0 400 Bad Request" and _headers(lines)["connection"] == "close" and rest == b""


def test_an_empty_body_is_only_the_last_chunk():
    assert responses.chunked(b"") == b"0\r\n\r\n"
    assert responses.chunked(b"abc") == b"3\r\nabc\r\n0\r\n\r\n"
