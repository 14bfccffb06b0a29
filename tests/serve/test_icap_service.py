"""The ICAP service over a real loopback socket, as a proxy talks to it (RFC 3507)."""

from __future__ import annotations

import asyncio

from scanner.config.web import IcapSpec
from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.extract.payload import scan_payload
from scanner.serve.icap_service import IcapService

N = "123456789018"


def _chunks(body: bytes, size: int) -> bytes:
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out


def _reqmod(body: bytes, preview: int | None = None, ctype: str = "text/plain", allow_204: bool = True,
            chunk: int = 7) -> list[bytes]:
    """A REQMOD as Squid sends it, cut where the service must answer 100 Continue."""
    head = (f"POST http://blog.example/post HTTP/1.1\r\nHost: blog.example\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    icap = (b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nX-Client-IP: 127.0.0.1\r\n"
            + (b"Allow: 204\r\n" if allow_204 else b"")
            + (b"Preview: %d\r\n" % preview if preview is not None else b"")
            + b"Encapsulated: req-hdr=0, req-body=%d\r\n\r\n" % len(head))
    if preview is None or preview >= len(body):
        return [icap + head + _chunks(body, chunk) + (b"0; ieof\r\n\r\n" if preview is not None else b"0\r\n\r\n")]
    return [icap + head + _chunks(body[:preview], 5) + b"0\r\n\r\n", _chunks(body[preview:], 3) + b"0\r\n\r\n"]


def _exchange(engine, *requests: list[bytes], spec: IcapSpec | None = None) -> tuple[list[bytes], list]:
    """Send requests on one connection; the answers (read up to the connection's close) and alerts."""
    alerts: list = []

    def scan_file(name, data):
        return scan_payload(engine, name, data, Limits(), Confidence.LOW)

    service = IcapService(spec or IcapSpec(), lambda: engine, scan_file, lambda v, info: alerts.append((v, info)),
                          lambda _a, _s: None, 200)

    async def go() -> list[bytes]:
        server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        answers = []
        for pieces in requests:
            writer.write(pieces[0])
            for rest in pieces[1:]:
                assert await reader.readuntil(b"\r\n\r\n") == b"ICAP/1.0 100 Continue\r\n\r\n"
                writer.write(rest)
            head = await reader.readuntil(b"\r\n\r\n")
            if b" 200 " in head.split(b"\r\n")[0] and b"null-body" not in head:
                head += await reader.readuntil(b"\r\n\r\n")  # the HTTP head
                head += await reader.readuntil(b"0\r\n\r\n")  # the chunked body
            answers.append(head)
        writer.close()
        server.close()
        return answers

    return asyncio.run(asyncio.wait_for(go(), 30)), alerts


def test_options_names_the_service_with_its_istag_preview_and_allow_204(engine):
    (answer,), _ = _exchange(engine, [b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n"])
    assert answer.startswith(b"ICAP/1.0 200 OK\r\n")
    assert b"Methods: REQMOD" in answer and b"Allow: 204" in answer and b"Preview: 4096" in answer
    assert b'ISTag: "mnd-' in answer


def test_a_clean_post_is_204_and_one_with_a_number_is_the_403_page_on_one_connection(engine):
    answers, alerts = _exchange(engine, _reqmod("今日の日記です。".encode()),
                                _reqmod(f"私の個人番号は{N}です".encode()))
    assert answers[0].startswith(b"ICAP/1.0 204 ")
    assert b"HTTP/1.1 403 Forbidden" in answers[1] and "送信がブロックされました".encode() in answers[1]
    assert N.encode() not in answers[1] and b"9018" not in answers[1]
    ((verdict, info),) = alerts
    assert (verdict.action, info.host, info.client) == ("block", "blog.example", {"x-client-ip": "127.0.0.1"})


def test_a_number_split_across_the_preview_and_chunks_is_found(engine):
    body = f"メモ 個人番号 {N} 以上".encode()
    cut = body.index(N.encode()) + 5
    (answer,), _ = _exchange(engine, _reqmod(body, preview=cut))
    assert b"HTTP/1.1 403" in answer


def test_a_clean_post_to_a_proxy_without_204_comes_back_byte_for_byte(engine):
    body = b"hello, blog"
    (answer,), _ = _exchange(engine, _reqmod(body, allow_204=False))
    assert answer.startswith(b"ICAP/1.0 200 OK") and answer.endswith(b"b\r\nhello, blog\r\n0\r\n\r\n")


def test_mask_forwards_a_json_post_with_the_number_hidden_and_the_length_fixed(engine):
    body = f'{{"note": "個人番号 {N}"}}'.encode()
    (answer,), _ = _exchange(engine, _reqmod(body, ctype="application/json"), spec=IcapSpec(on_violation="mask"))
    assert b"********9018" in answer and N.encode() not in answer
    assert b"Content-Length: %d" % len(body) in answer


def test_bad_offsets_get_an_icap_400_and_the_connection_closed(engine):
    bad = b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\nEncapsulated: req-hdr=0, req-body=5\r\n\r\nPOST / "
    (answer,), _ = _exchange(engine, [bad + b"HTTP/1.1\r\n\r\n0\r\n\r\n"])
    assert answer.startswith(b"ICAP/1.0 400 ") and b"Connection: close" in answer


def _serve_raw(engine, cases: list[bytes], scan_file=None) -> tuple[list[bytes], list, list]:
    """Each case on a connection of its own, half-closed after it; what came back (up to the
    close), the alerts and the observed verdicts. An OPTIONS after all of them must still work."""
    alerts: list = []
    verdicts: list = []

    def default_scan_file(name, data):
        return scan_payload(engine, name, data, Limits(), Confidence.LOW)

    service = IcapService(IcapSpec(request_timeout=5), lambda: engine, scan_file or default_scan_file,
                          lambda v, info: alerts.append(v), lambda verdict, _s: verdicts.append(verdict), 200)

    async def one(port: int, data: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(data)
        writer.write_eof()
        answer = await reader.read()
        writer.close()
        return answer

    async def go() -> list[bytes]:
        server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        answers = [await one(port, data) for data in cases]
        answers.append(await one(port, b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n"))
        server.close()
        return answers

    answers = asyncio.run(asyncio.wait_for(go(), 120))
    assert answers[-1].startswith(b"ICAP/1.0 200 OK"), "the service stopped answering"
    return answers[:-1], alerts, verdicts


def _passed(answer: bytes) -> bool:
    """Whether an answer lets the request go on (204, or the request sent back)."""
    first = answer.split(b"\r\n", 1)[0]
    return first.startswith(b"ICAP/1.0 204") or (first.startswith(b"ICAP/1.0 200") and b"HTTP/1.1 403" not in answer)


def test_a_mangled_reqmod_with_a_number_is_never_passed_and_the_service_survives(engine):
    """Seeded byte flips, cuts and junk anywhere but in the number and the words that make it one
    (a number without them is low confidence, passed by design): an ICAP error, the block page or
    a closed connection — never 204, never the request handed back."""
    import random

    said = f"個人番号は{N}".encode()
    (wire,) = _reqmod(f"私の個人番号は{N}です。よろしく".encode(), chunk=1000)
    start = wire.index(said)
    rng = random.Random(13)
    cases = []
    for _ in range(300):
        data = bytearray(wire)
        how = rng.choice(("flip", "cut", "junk"))
        at = rng.choice([i for i in range(len(data)) if not start <= i < start + len(said)])
        if how == "flip":
            data[at] = rng.randrange(256)
        elif how == "cut":
            del data[at:]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        cases.append(bytes(data))
    answers, _, _ = _serve_raw(engine, cases)
    passed = [c for c, a in zip(cases, answers, strict=True) if _passed(a)]
    assert passed == []


def test_truncated_chunks_and_huge_heads_get_an_icap_error_or_a_close_never_a_pass(engine):
    (wire,) = _reqmod(f"個人番号 {N}".encode())
    cases = [
        wire[:-5],  # the last chunk cut
        wire.replace(b"\r\n0\r\n\r\n", b"\r\nzz\r\n\r\n"),  # a chunk size that is not hex
        wire.replace(b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\nX-Pad: " + b"a" * 200_000 + b"\r\n"),
        wire.replace(b"Host: blog.example\r\n", b"Host: blog.example\r\nX-Pad: " + b"b" * 200_000 + b"\r\n"),
    ]
    answers, alerts, _ = _serve_raw(engine, cases)
    assert [_passed(a) for a in answers] == [False] * 4 and alerts == []
    assert answers[1].startswith(b"ICAP/1.0 400") and answers[2].startswith(b"ICAP/1.0 413")


def test_a_bug_while_scanning_is_an_icap_500_counted_as_error_not_a_pass_nor_a_crash(engine):
    def broken(name, data):
        raise RuntimeError("boom")

    (wire,) = _reqmod(b"\x00\x01binary upload", ctype="application/octet-stream")
    (answer,), alerts, verdicts = _serve_raw(engine, [wire], scan_file=broken)
    assert answer.startswith(b"ICAP/1.0 500") and b"Connection: close" in answer
    assert verdicts == ["error"] and alerts == []


def test_the_time_a_request_adds_excludes_the_idle_wait_before_it_on_a_persistent_connection(engine):
    seen: list[tuple[str, float]] = []
    service = IcapService(IcapSpec(), lambda: engine, lambda n, d: [], lambda v, i: None,
                          lambda verdict, seconds: seen.append((verdict, seconds)), 200)
    (wire,) = _reqmod("今日の日記です。".encode())

    async def go() -> None:
        server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
        reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
        for _ in range(2):
            await asyncio.sleep(0.5)  # the proxy keeps the connection idle between posts
            writer.write(wire)
            assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"ICAP/1.0 204")
        writer.close()
        server.close()

    asyncio.run(asyncio.wait_for(go(), 30))
    assert [v for v, _ in seen] == ["allow", "allow"] and max(s for _, s in seen) < 0.25


def _respmod(body: bytes, ctype: str = "text/csv; charset=utf-8") -> list[bytes]:
    """A RESPMOD as Squid sends it: the request's head, the response's head and body, no preview."""
    req = b"GET http://files.example/roster.csv HTTP/1.1\r\nHost: files.example\r\n\r\n"
    res = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    icap = (b"RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nHost: 127.0.0.1\r\nAllow: 204\r\n"
            b"Encapsulated: req-hdr=0, res-hdr=%d, res-body=%d\r\n\r\n" % (len(req), len(req) + len(res)))
    return [icap + req + res + _chunks(body, 11) + b"0\r\n\r\n"]


def test_respmod_is_answered_unchanged_unless_enabled_then_a_download_with_a_number_is_blocked(engine):
    roster = f"氏名,個人番号\n山田 太郎,{N}\n".encode()
    (answer,), alerts = _exchange(engine, _respmod(roster))  # respmod off: passed as it is
    assert answer.startswith(b"ICAP/1.0 204") and alerts == []
    (blocked, clean), alerts = _exchange(engine, _respmod(roster), _respmod("氏名,部署\n山田,総務\n".encode()),
                                         spec=IcapSpec(respmod=True))
    assert b"HTTP/1.1 403 Forbidden" in blocked and N.encode() not in blocked
    assert clean.startswith(b"ICAP/1.0 204")
    ((verdict, info),) = alerts
    assert (verdict.action, info.host, info.path) == ("block", "files.example", "/roster.csv")


def test_respmod_with_mask_sends_the_response_on_with_the_number_hidden(engine):
    body = f"個人番号: {N}\n".encode()
    (answer,), _ = _exchange(engine, _respmod(body, "text/plain; charset=utf-8"),
                             spec=IcapSpec(respmod=True, on_violation="mask"))
    assert b"Encapsulated: res-hdr=0, res-body=" in answer and b"********9018" in answer and N.encode() not in answer
    assert b"HTTP/1.1 200 OK" in answer
