import io

import pytest
from docx import Document

from qiangxian.statistics.tests.factories import seed_facts


@pytest.fixture
def facts(county):
    """The county fixture with 2025 and 2026 months 1-3 and filled rollups."""
    return seed_facts(county)


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    """All paragraphs of a .docx as one text, and every table as rows of cell texts."""
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def read_file(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()
