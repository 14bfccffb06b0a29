"""ICAP responses as bytes (RFC 3507 4.3, 4.6, 4.10): OPTIONS, 100 Continue, 204, a request
answered with an HTTP response (the block page), a request or response passed on modified
(masked), and errors. Pure: values in, bytes out."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.sources.icap.protocol import CRLF, ICAP_VERSION

SERVICE_NAME = "mynumber-dlp"
STATUS_TEXT = {100: "Continue", 200: "OK", 204: "No Content", 400: "Bad Request", 404: "ICAP Service Not Found",
               405: "Method Not Allowed", 408: "Request Timeout", 413: "Request Entity Too Large",
               500: "Server Error", 501: "Method Not Implemented", 503: "Service Overloaded",
               505: "ICAP Version Not Supported"}
"""Reason phrases of the statuses this service sends (RFC 3507 4.3.3)."""


def _head(status: int, istag: str, headers: Iterable[tuple[str, str]]) -> bytes:
    lines = [f"{ICAP_VERSION} {status} {STATUS_TEXT[status]}", f"ISTag: \"{istag}\"", f"Service: {SERVICE_NAME}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(body: bytes) -> bytes:
    """``body`` as one chunk and the last chunk."""
    return (b"%x\r\n" % len(body) + body + CRLF if body else b"") + b"0\r\n\r\n"


def options(istag: str, methods: str, preview: int, ttl: int, max_connections: int) -> bytes:
    """The answer to OPTIONS: what the service does and how clients should call it."""
    return _head(200, istag, [
        ("Methods", methods), ("Allow", "204"), ("Preview", str(preview)), ("Transfer-Preview", "*"),
        ("Options-TTL", str(ttl)), ("Max-Connections", str(max_connections)), ("Encapsulated", "null-body=0"),
    ])


def continue_() -> bytes:
    """``100 Continue``: send the rest of the body after the preview."""
    return f"{ICAP_VERSION} 100 Continue\r\n\r\n".encode("latin-1")


def no_content(istag: str) -> bytes:
    """``204``: the request goes on unchanged."""
    return _head(204, istag, [("Encapsulated", "null-body=0")])


def http_response(istag: str, status: int, reason: str, content_type: str, body: bytes,
                  extra: Iterable[tuple[str, str]] = ()) -> bytes:
    """``200`` carrying an HTTP response for the proxy to send the client instead of the request
    (the block page): the request never leaves."""
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n"
            + "".join(f"{n}: {v}\r\n" for n, v in extra) + "\r\n").encode("latin-1")
    return _head(200, istag, [("Encapsulated", f"res-hdr=0, res-body={len(head)}")]) + head + chunked(body)


def modified_request(istag: str, http_head: bytes, body: bytes) -> bytes:
    """``200`` carrying the request to send on, with ``http_head`` and ``body`` (echoed, or masked)."""
    return _head(200, istag, [("Encapsulated", f"req-hdr=0, req-body={len(http_head)}")]) + http_head + chunked(body)


def modified_response(istag: str, http_head: bytes, body: bytes) -> bytes:
    """``200`` carrying the response to send the client (RESPMOD: echoed, or masked)."""
    return _head(200, istag, [("Encapsulated", f"res-hdr=0, res-body={len(http_head)}")]) + http_head + chunked(body)


def error(status: int, istag: str) -> bytes:
    """An ICAP error; the connection is closed after it (the proxy, ``bypass=off``, fails closed)."""
    return _head(status, istag, [("Connection", "close"), ("Encapsulated", "null-body=0")])
