"""The configuration a command runs with, as ``config check`` prints it: the file's layout,
every default filled in, secrets masked."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel

from scanner.config.scan import ScanConfig, ScanSettings
from scanner.config.serve import ServeConfig, ServeSettings

MASK = "********"


def mask_url(url: str | None) -> str | None:
    """``url`` with the password of its user part and the values of its query hidden."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            netloc = f"{parts.username or ''}:{MASK}@{netloc.rpartition('@')[2]}"
        query = urlencode([(k, MASK) for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
        return urlunsplit(parts._replace(netloc=netloc, query=query))
    except ValueError:
        return MASK


def _json(model: BaseModel, of: type[BaseModel]) -> dict[str, Any]:
    return model.model_dump(mode="json", include=set(of.model_fields))


def _scan_part(scan: ScanConfig) -> dict[str, Any]:
    return {
        "fingerprint_key": MASK if scan.fingerprint_key else None,
        "rules_dirs": [str(d) for d in scan.rules_dirs],
        "scan": _json(scan, ScanSettings),
        "limits": scan.limits.model_dump(mode="json"),
    }


def effective_config(cfg: ServeConfig | ScanConfig) -> dict[str, Any]:
    """JSON-ready settings of ``cfg`` in the layout of a config file; the fingerprint key and
    passwords in broker and webhook URLs are masked."""
    if isinstance(cfg, ScanConfig):
        return {"source": cfg.source, **_scan_part(cfg)}
    serve = _json(cfg, ServeSettings)
    serve["webhook_url"] = mask_url(cfg.webhook_url)
    if cfg.api is not None:
        serve["api"]["token"] = MASK if cfg.api.token else None
    serve["watch"] = [w.model_dump(mode="json") for w in cfg.watches]
    serve["queue"] = [{**q.model_dump(mode="json"), "url": mask_url(q.url)} for q in cfg.queues]
    serve["audit"] = [{**a.model_dump(mode="json"), "url": mask_url(a.url)} for a in cfg.audits]
    return {"source": cfg.source, **_scan_part(cfg.scan), "policy": cfg.policy.model_dump(mode="json"), "serve": serve}
