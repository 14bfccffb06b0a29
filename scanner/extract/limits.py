"""Scan limits in the spirit of ClamAV's MaxFileSize, MaxScanSize, MaxRecursion,
MaxFiles and MaxScanTime. Exceeding one yields a ``not_scanned`` record whose
reason is ``limit:<name>``; whatever was scanned before still reports findings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pydantic import Field

from scanner.schema import Duration, Size, StrictModel

MiB = 1024 * 1024


class Limits(StrictModel):
    """Configurable limits (``[limits]``); names are the ``limit:<name>`` reasons."""

    max_file_size: Size = Field(256 * MiB, gt=0)
    """A file (or archive member) larger than this is not read."""
    max_scan_size: Size = Field(512 * MiB, gt=0)
    """Bytes extracted from one top-level item (archive members, decompressed streams) at most."""
    max_recursion: int = Field(16, ge=0)
    """Containers nested deeper than this (zip in zip in mail ...) are not opened."""
    max_files: int = Field(10_000, gt=0)
    """Members of one archive examined at most."""
    max_ratio: int = Field(200, gt=0)
    """A member that expands more than this many times its compressed size is a bomb."""
    max_scan_time: Duration = Field(120.0, gt=0)
    """Seconds one top-level item may take; its worker is killed a little after."""
    max_memory: Size = Field(2048 * MiB, gt=0)
    """Address space of a scanning worker process; a parser that needs more is stopped."""
    max_image_pixels: int = Field(80_000_000, gt=0)
    """An image (or a rendered PDF page) with more pixels than this is not decoded: a decompression bomb."""
    max_ocr_pages: int = Field(100, ge=0)
    """Images and text-less PDF pages of one top-level item read by OCR at most; 0 turns OCR off."""
    max_ocr_page_time: Duration = Field(60.0, gt=0)
    """Seconds OCR may spend on one image or page ..."""
    max_ocr_time: Duration = Field(90.0, gt=0)
    """... and on all of one top-level item's: the images and pages after are limit records, while its
    text is still read (within max_scan_time)."""


class LimitExceeded(Exception):
    """A limit was hit; ``name`` is the limit, ``detail`` says where."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


@dataclass(slots=True)
class Budget:
    """What one top-level item may still use: bytes extracted and time."""

    limits: Limits
    extracted: int = 0
    deadline: float = field(default=0.0)
    ocr_pages: int = 0
    ocr_seconds: float = 0.0

    def __post_init__(self) -> None:
        if not self.deadline:
            self.deadline = time.monotonic() + self.limits.max_scan_time

    def take(self, n: int) -> None:
        """Account ``n`` more extracted bytes; raise when over the scan size or the time."""
        self.extracted += n
        if self.extracted > self.limits.max_scan_size:
            raise LimitExceeded("max_scan_size", f"more than {self.limits.max_scan_size} bytes extracted")
        self.check_time()

    def take_ocr_page(self) -> None:
        """Account one more image or page for OCR; raise when over ``max_ocr_pages``, the OCR time or the time."""
        self.check_time()
        if self.ocr_pages >= self.limits.max_ocr_pages:
            raise LimitExceeded("max_ocr_pages", f"more than {self.limits.max_ocr_pages} images or pages for OCR")
        if self.ocr_seconds_left() <= 0:
            raise LimitExceeded("max_ocr_time", f"more than {self.limits.max_ocr_time:g} s of OCR")
        self.ocr_pages += 1

    def ocr_seconds_left(self) -> float:
        """Seconds OCR may still spend on the item (``max_ocr_time`` less what it spent)."""
        return self.limits.max_ocr_time - self.ocr_seconds

    def spend_ocr(self, seconds: float) -> None:
        """Account ``seconds`` of OCR."""
        self.ocr_seconds += seconds

    def check_time(self) -> None:
        """Raise when the item's time is up."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded("max_scan_time", f"more than {self.limits.max_scan_time:g} s")
