"""The normalised rows of a batch between validation and commit, kept in a file in chunks."""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from .models import ImportBatch

CHUNK = 5000  # staged rows written (and committed) this many at a time


def import_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _staged_path(batch: ImportBatch) -> Path:
    return import_dir() / f"batch-{batch.pk}.staged"


SEP = "\x1f"


class StagedWriter:
    """The normalised rows of a batch, written in chunks as they are made.

    A header of columns, then chunks of rows (key and the values as one separated string):
    marshal reads that back far faster than a structure of many small objects, and a chunk at a
    time keeps memory flat however long the file.
    """

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.columns = columns
        self.stream = path.open("wb")
        marshal.dump(columns, self.stream)
        self.buffer: list[tuple] = []
        self.blanks = [""] * len(columns)

    def add(self, pk: int, period: dt.date, above: bool, combined: bool, values: dict) -> None:
        # map() keeps the per-column work in C: a blank is "" (values never hold an empty text).
        text = SEP.join(map(str, map(values.get, self.columns, self.blanks)))
        self.buffer.append((pk, period.toordinal(), above, combined, text))
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            marshal.dump(self.buffer, self.stream)
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self.stream.close()


def discard_staged(batch: ImportBatch) -> None:
    """Remove a batch's staged rows (after a failed validation, a commit or a discard)."""
    _staged_path(batch).unlink(missing_ok=True)


def load_staged_raw(batch: ImportBatch) -> tuple[list[str], Iterator[list[tuple]]]:
    """Columns and chunks of rows as :class:`StagedWriter` saved them.

    Each row: (enterprise, period as a date ordinal, above, combined, the values as one text
    separated by :data:`SEP`, a blank being empty).
    """
    stream = _staged_path(batch).open("rb")
    columns = marshal.load(stream)

    def chunks():
        with stream:
            while True:
                try:
                    yield marshal.load(stream)
                except EOFError:
                    return

    return columns, chunks()


def load_staged(batch: ImportBatch) -> tuple[list[str], Iterator[list[tuple]]]:
    """Columns and chunks of rows saved by :class:`StagedWriter`.

    Each row: (enterprise, period, above, combined, [text or None per column]).
    """
    columns, raw_chunks = load_staged_raw(batch)

    def chunks():
        for raw in raw_chunks:
            yield [
                (
                    pk,
                    dt.date.fromordinal(day),
                    above,
                    combined,
                    [v or None for v in text.split(SEP)] if columns else [],
                )
                for pk, day, above, combined, text in raw
            ]

    return columns, chunks()
