"""Fixtures of the registry tests: logged-in clients per role, spreadsheet builders."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from qiangxian.enterprises.importers import HEADERS


@pytest.fixture
def client_as(client, users):
    """A test client logged in as one of the ``users`` fixture's roles (None: anonymous)."""

    def login(username):
        client.logout()
        if username:
            client.force_login(users[username])
        return client

    return login


def xlsx_bytes(rows, headers=HEADERS, *, sheets=None, merge=None, formula=None) -> bytes:
    """A workbook with a 企业名录 sheet; optional extra sheets, merged range or formula cell."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("企业名录")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    if merge:
        sheet.merge_range(merge, "合并")
    if formula:
        sheet.write_formula(formula, "=1+1")
    for name in sheets or []:
        book.add_worksheet(name)
    book.close()
    return buffer.getvalue()


def row(**values):
    """A data row in template order from header → value pairs."""
    return [values.get(h, "") for h in HEADERS]


@pytest.fixture
def make_xlsx():
    return xlsx_bytes
