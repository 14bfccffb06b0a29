"""The web services of the daemon: ``[serve.icap]``, posts through a proxy (the HTTP scan API,
``[serve.api]``, is to come). A service runs when its table is present, on loopback by default."""

from __future__ import annotations

from pydantic import Field

from scanner.actions.web_verdict import WebPolicy
from scanner.config.address import Address
from scanner.schema import Duration, Size, StrictModel

DEFAULT_ICAP_ADDRESS = "127.0.0.1:1344"
ICAP_SERVICE_PATH = "/reqmod"
"""The REQMOD service's path: ``icap://127.0.0.1:1344/reqmod``."""
MiB = 1024 * 1024


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
    file_jobs: int = Field(2, ge=1)
    """Worker processes that read uploaded files (xlsx, pdf, zip ...), isolated from the service."""
