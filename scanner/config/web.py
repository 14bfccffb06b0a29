"""The web services of the daemon: ``[serve.icap]`` (posts through a proxy) and ``[serve.api]``
(the HTTP scan API). A service runs when its table is present, on loopback by default."""

from __future__ import annotations

import ipaddress
from typing import Any, Literal

from pydantic import Field, model_validator

from scanner.actions.web_verdict import WebPolicy
from scanner.config.address import Address, split_address
from scanner.i18n import _
from scanner.schema import ConfidenceLevel, Duration, OptionalPath, OptionalText, Size, StrictModel

DEFAULT_ICAP_ADDRESS = "127.0.0.1:1344"
DEFAULT_API_ADDRESS = "127.0.0.1:8080"
ICAP_SERVICE_PATH = "/reqmod"
"""The REQMOD service's path: ``icap://127.0.0.1:1344/reqmod``."""
API_SCAN_PATH = "/v1/scan"
API_OPENAPI_PATH = "/v1/openapi.json"
MiB = 1024 * 1024
DEFAULT_FILE_JOBS = 2
"""Worker processes that read uploaded files, by default."""


def is_loopback(address: str) -> bool:
    """Whether ``host:port`` listens on loopback only (a name other than ``localhost`` is not)."""
    parsed = split_address(address)
    host = parsed[0] if parsed else ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebLimits(StrictModel):
    """How much of one web request is read, and for how long."""

    max_body: Size = Field(32 * MiB, gt=0)
    """Bytes of one request body (as sent, and again once decoded); over it, ``on_oversize`` decides."""
    request_timeout: Duration = Field(30.0, gt=0)
    """Seconds to receive one request whole; a client slower than this gets a timeout error."""


class IcapSpec(WebPolicy, WebLimits):
    """``[serve.icap]``: the ICAP service a proxy hands each request to (RFC 3507)."""

    address: Address = DEFAULT_ICAP_ADDRESS
    """host:port the ICAP service listens on; its REQMOD service is ``/reqmod``."""
    preview: int = Field(4096, ge=0)
    """Bytes of a body the proxy sends first (``Preview``); the rest follows ``100 Continue``."""
    options_ttl: int = Field(300, ge=1)
    """Seconds a proxy may keep the answer to OPTIONS (``Options-TTL``): a new ruleset shows by then."""
    max_connections: int = Field(512, ge=1)
    """Connections a proxy may open to the service (``Max-Connections``)."""
    respmod: bool = False
    """Scan responses too (``/respmod``); off: a RESPMOD request is answered unchanged."""
    file_jobs: int = Field(DEFAULT_FILE_JOBS, ge=1)
    """Worker processes that read uploaded files (xlsx, pdf, zip ...), isolated from the service."""


class ApiSpec(WebLimits):
    """``[serve.api]``: ``POST /v1/scan`` answers a body's records and verdict; ``/v1/openapi.json``."""

    address: Address = DEFAULT_API_ADDRESS
    """host:port of the scan API."""
    token: OptionalText = Field(None, repr=False)
    """Bearer token callers must send, usually ``${MYNUMBER_DLP_API_TOKEN}``; required off loopback."""
    tls_cert: OptionalPath = None
    """PEM certificate chain: serve HTTPS (with ``tls_key``)."""
    tls_key: OptionalPath = None
    """PEM private key of ``tls_cert``."""
    min_confidence: ConfidenceLevel = WebPolicy().min_confidence
    """Findings below this are not answered and do not make the verdict ``block``."""
    on_oversize: Literal["block", "allow"] = WebPolicy().on_oversize
    """The verdict for a body (or part) over a limit or that could not be read (encrypted, corrupt)."""
    on_unsupported: Literal["alert", "block"] = WebPolicy().on_unsupported
    """A body whose only unread parts hold no text we read (video, executables): ``alert`` answers
    ``allow`` (the not_scanned records say why), ``block`` answers ``block``."""
    file_jobs: int = Field(DEFAULT_FILE_JOBS, ge=1)
    """Worker processes that read posted files (shared with the ICAP service's: the larger count)."""

    @model_validator(mode="after")
    def _token_off_loopback(self) -> Any:
        if not self.token and not is_loopback(self.address):
            raise ValueError(_("a token is required when the API listens beyond loopback"))
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError(_("tls_cert and tls_key go together"))
        return self
