"""The page a browser shows when a post is blocked: in Japanese and English, saying why, with
an incident id to quote to the help desk. It never holds the number, its masked form or its
fingerprint: only counts, the confidence and the id (the alert carries the rest)."""

from __future__ import annotations

import html
import secrets
import time

BLOCK_STATUS = 403
INCIDENT_ID_LETTERS = 16
"""Random letters of an incident id (~70 bits): unique enough to find one alert among years'. Letters,
not hex: an id must never hold a run of digits a scanner downstream could take for a number."""
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz"

_REASONS = {
    "my-number": ("個人番号（マイナンバー）と思われる情報が含まれているため、送信を止めました。",
                  "This request was stopped because it appears to contain an Individual Number (My Number)."),
    "not_scanned": ("内容を確認できなかった（大きすぎる・読めない）ため、送信を止めました。",
                    "This request was stopped because its content could not be checked (too large or unreadable)."),
}


def incident_id() -> str:
    """A new incident id: the day, then random letters (``20261203-kqzmt…``)."""
    tail = "".join(secrets.choice(ID_ALPHABET) for _ in range(INCIDENT_ID_LETTERS))
    return f"{time.strftime('%Y%m%d')}-{tail}"


def block_page(reason: str, incident: str, findings: int) -> bytes:
    """The HTML body of the 403 answer (UTF-8, self-contained, no script, no network)."""
    ja, en = _REASONS.get(reason, _REASONS["my-number"])
    safe = html.escape(incident)
    return f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>送信がブロックされました / Request blocked</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6}}code{{font-size:1.1em}}</style>
</head><body>
<h1>送信がブロックされました</h1>
<p>{ja}</p>
<p>マイナンバーは法律で定められた事務以外で提供・公開することはできません（番号法第19条）。</p>
<p>検出件数: {findings}　インシデントID: <code id="incident">{safe}</code></p>
<p>業務上必要な送信の場合は、このIDを添えて情報システム担当へご連絡ください。</p>
<hr lang="en">
<h1 lang="en">Request blocked</h1>
<p lang="en">{en}</p>
<p lang="en">Findings: {findings}. Incident id: <code>{safe}</code>. If this is part of your work, contact
your IT security staff and quote this id.</p>
</body></html>
""".encode()
