"""Messages in the user's language: Japanese or English (the source strings).

Chosen by ``--lang``, else the first set of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (POSIX order):
``ja_JP.UTF-8`` (any ``ja`` locale) gives Japanese, anything else English. Catalogs are
gettext's (``locale/ja/LC_MESSAGES/mynumber_dlp.po``, compiled to ``.mo`` with Babel:
``pybabel compile -d scanner/i18n/locale -D mynumber_dlp``). Machine fields (``reason``,
``reasons``, record types, metric names) are never translated.

Use ``_("cannot read {path}").format(path=...)``: translate first, fill in after.

The catalog also carries argparse's own words ("usage:", "options", its errors): refresh it with
``pybabel extract -k _ -k ngettext:1,2 scanner $(python -c 'import argparse; print(argparse.__file__)')``.
"""

from __future__ import annotations

import errno
import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "mynumber_dlp"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ja")
"""The languages there are messages in; ``en`` is the source."""
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``ja`` when the locale the environment names is Japanese, else ``en``."""
    env = os.environ if environ is None else environ
    value = next((env[v] for v in LOCALE_VARIABLES if env.get(v)), "")
    return "ja" if value.lower().startswith("ja") else "en"


def set_language(language: str) -> None:
    """Messages from now on in ``language`` (one of ``LANGUAGES``)."""
    global _current, _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    _language = language
    _current = (gettext.translation(DOMAIN, LOCALE_DIR, languages=[language]) if language != "en"
                else gettext.NullTranslations())


def current_language() -> str:
    """The language messages are in now."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _current.ngettext(singular, plural, n)


def translate_argparse(language: str) -> None:
    """argparse's own words in ``language`` too. argparse asks gettext's process-wide domain, in the
    language the environment names (``LANGUAGE`` first); only the CLI calls this, as it owns its
    process: it points that domain at our catalog and names the language in ``LANGUAGE``."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language


def detail_text(detail: str) -> str:
    """A record's ``detail`` for a person: translated when it is one of the catalog's messages (an
    OS error, whose English is glibc's own: ``No such file or directory``), else as it is. The
    record itself keeps the English: it is part of the output programs read."""
    return _current.gettext(detail) if detail else detail


def os_error_text(exc: OSError) -> str:
    """Why an operating-system call failed, in the current language: the C library's text
    (``strerror``) is English whatever the locale, as Python never sets LC_MESSAGES. The English
    texts are glibc's own, so English output reads as it always did."""
    texts = {
        errno.ENOENT: _("No such file or directory"),
        errno.EACCES: _("Permission denied"),
        errno.EPERM: _("Operation not permitted"),
        errno.EISDIR: _("Is a directory"),
        errno.ENOTDIR: _("Not a directory"),
        errno.EEXIST: _("File exists"),
        errno.ENOSPC: _("No space left on device"),
        errno.EROFS: _("Read-only file system"),
        errno.ELOOP: _("Too many levels of symbolic links"),
        errno.ENAMETOOLONG: _("File name too long"),
        errno.EADDRINUSE: _("Address already in use"),
        errno.EADDRNOTAVAIL: _("Cannot assign requested address"),
        errno.ECONNREFUSED: _("Connection refused"),
        errno.ETIMEDOUT: _("Connection timed out"),
        errno.EIO: _("Input/output error"),
        errno.EMFILE: _("Too many open files"),
    }
    return texts.get(exc.errno or 0) or exc.strerror or type(exc).__name__
