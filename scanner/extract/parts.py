"""What extractors hand on: text parts to scan and items that could not be scanned."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from scanner.detect.segments import Prefilter, RawText, Segment
from scanner.extract.limits import Budget, Limits

Locator = Callable[[int, int], "str | None"]
"""Maps a (line, column) of a part's text to a place within it, e.g. ``Sheet1!C5``."""
SourceMap = Callable[[int, int], "tuple[int, int]"]
"""Maps a (line, column) of a part's text to the (line, column) in the file it was read from, for
text formats whose extracted text differs from what an editor shows (HTML)."""


@dataclass(frozen=True, slots=True)
class Unscanned:
    """An item (or member) that could not be scanned, and why (a contract reason)."""

    member: str | None
    reason: str
    detail: str


@dataclass(slots=True)
class TextPart:
    """Text of one part of a file, as segments for the engine (or a text file's raw bytes)."""

    member: str | None
    segments: Iterable[Segment | RawText]
    locate: Locator | None = None
    source: SourceMap | None = None
    titles: tuple[str, ...] = ()
    """What the whole part is called beyond its file and member names (a sheet's name)."""
    about: tuple[str, ...] = ()
    """What the containers around say of it (the subject and text of the mail it came with):
    it can only raise its values, as a signature's TEL must not lower an attachment's."""
    problem: Unscanned | None = field(default=None)
    """Set when producing the segments failed part way (what was read is still scanned)."""
    via: tuple[str, ...] = ()
    """How the text was read when not from the file's own text (``ocr``): added to its findings' reasons."""
    image_lines: tuple[str, ...] = ()
    """The lines OCR read from one image or page: the card itself is recognised on them (``detect/card.py``)."""


Item = TextPart | Unscanned


def join_member(prefix: str | None, name: str | None) -> str | None:
    """``a.zip`` + ``b.docx`` -> ``a.zip/b.docx``; None stands for the top level."""
    if not name:
        return prefix
    return f"{prefix}/{name}" if prefix else name


@dataclass(frozen=True, slots=True)
class Context:
    """Where an extractor works: its depth and member path, the limits and what is left of the budget."""

    prefilter: Prefilter | None
    """What the core's byte prefilter searches text files for; None: decoded whole."""
    limits: Limits
    budget: Budget
    depth: int = 0
    member: str | None = None
    about: tuple[str, ...] = ()
    """What the containers around say of every part inside (a mail's subject and text)."""

    def child(self, name: str) -> Context:
        """The context of a member named ``name`` one container deeper."""
        return replace(self, depth=self.depth + 1, member=join_member(self.member, name))

    def saying(self, text: str) -> Context:
        """This context, with ``text`` said of everything inside."""
        return replace(self, about=(*self.about, text)) if text.strip() else self


def chunk_lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines (without their line breaks) of text that arrives in chunks cut anywhere."""
    carry = ""
    for chunk in chunks:
        lines = (carry + chunk).split("\n")
        carry = lines.pop()  # the last line may go on in the next chunk
        yield from lines
    if carry:
        yield carry


def text_lines(lines: Iterable[str], batch_chars: int = 64 * 1024) -> Iterator[Segment]:
    """Lines of extracted text as contiguous segments of about ``batch_chars``.

    When ``lines`` fails part way, the lines before are handed out first (then it raises).
    """
    buf: list[str] = []
    size = 0
    try:
        for line in lines:
            buf.append(line)
            buf.append("\n")
            size += len(line) + 1
            if size >= batch_chars:
                yield Segment("".join(buf), None)
                buf, size = [], 0
    except Exception:
        if buf:
            yield Segment("".join(buf), None)
        raise
    if buf:
        yield Segment("".join(buf), None)
