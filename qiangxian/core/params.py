"""What a valid year, month, page size and field value is, said once for the API and the pages.

A parameter out of range (year 0, month 13, an offset past any table, 10^20 yuan) must be refused
where it enters, with a Chinese message, instead of failing deep in a date computation or in the
database. The API uses the annotated types and :func:`model_bounds` (pydantic answers, and the
handler in ``qiangxian/api.py`` turns its errors into 400); pages use :class:`YearFilter` and
:func:`parse_year`, which fall back to their default as the month pickers already do.
"""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
# Far past any table here, and far below the 64-bit limit of SQLite and PostgreSQL.
MAX_OFFSET = 1_000_000_000
# "2026-05" or "2026-5"; the year within MIN_YEAR..MAX_YEAR.
YEAR_MONTH_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0?[1-9]|1[0-2])$"

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"年份（{MIN_YEAR}–{MAX_YEAR}）")]
MonthNumber = Annotated[int, Field(ge=1, le=12, description="月份（1–12）")]
YearMonth = Annotated[str, Field(pattern=YEAR_MONTH_PATTERN, description="月份，如 2026-05")]
FIRST_DAY = dt.date(MIN_YEAR, 1, 1)
LAST_DAY = dt.date(MAX_YEAR, 12, 31)
# Dates outside these years are typing slips, and date arithmetic near year 1 or 9999 fails.
Date = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY, description=f"日期（{MIN_YEAR}–{MAX_YEAR} 年）")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="跳过的条数")]
# A record id: what the 64-bit key columns of SQLite and PostgreSQL can hold.
Id = Annotated[int, Field(ge=1, le=2**63 - 1, description="编号")]


class Pagination(LimitOffsetPagination):
    """django-ninja's limit/offset pagination with both bounds, so a huge offset is a 400."""

    class Input(Schema):
        limit: Limit = DEFAULT_LIMIT
        offset: Offset = 0


def date_in_range(value: dt.date | None) -> dt.date | None:
    """The date if its year is within MIN_YEAR..MAX_YEAR, else None (a page then uses its default)."""
    return value if value is not None and FIRST_DAY <= value <= LAST_DAY else None


def parse_year(raw, default: int) -> int:
    """A year from a page's query string; the default for blanks, nonsense and years out of range."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


class YearFilter(django_filters.NumberFilter):
    """A year filter for lists: a whole number within MIN_YEAR..MAX_YEAR, else the form is invalid."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


# --- bounds taken from the model -------------------------------------------------------------


FLOAT_SAFE_DIGITS = 15


def _constraints(field: models.Field) -> tuple[Any, list]:
    """The base type and the pydantic constraints that keep a value storable in ``field``."""
    if not isinstance(field, models.Field) or isinstance(field, models.ForeignKey | models.AutoField):
        return None, []
    if field.choices and isinstance(field, models.CharField):
        allowed = [str(value) for value, _ in field.flatchoices]
        if field.blank and "" not in allowed:
            allowed.append("")
        return Literal[tuple(allowed)], []
    if isinstance(field, models.DecimalField):
        # SQLite keeps a non-integer decimal as a double, exact to 15 significant digits: a
        # 16-digit value would be stored rounded and fail to read back, so no backend takes more.
        places = field.decimal_places
        max_digits = min(field.max_digits, FLOAT_SAFE_DIGITS)
        whole = Decimal(10) ** (max_digits - places)
        digits = {"max_digits": max_digits, "decimal_places": places}
        return Decimal, [Field(**digits, gt=-whole, lt=whole)]
    if isinstance(field, models.IntegerField):
        # The portable ranges (PostgreSQL's), not the connection's: SQLite would store what
        # PostgreSQL refuses.
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        return int, [Field(ge=low, le=high)]
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return dt.date, [Field(ge=FIRST_DAY, le=LAST_DAY)]
    if isinstance(field, models.CharField) and field.max_length:
        return str, [Field(max_length=field.max_length)]
    return None, []


def _split_optional(annotation) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(get_args(annotation)) == 2:
            return args[0], True
    return annotation, False


def model_bounds(model: type[models.Model], **fields: str):
    """Class decorator: give an input schema the limits of the model fields it writes.

    Each schema field named like a model field (or mapped with ``schema_name="model_field"``)
    gets the model's maximum length, digits, integer range or choices, so a value the database
    could not hold, or that the model does not know, is a 400 naming the field, and the OpenAPI
    schema says what is accepted. Types the schema declares itself (a date, an id) are kept.
    """

    def decorate(schema: type[Schema]) -> type[Schema]:
        overrides = {}
        for name, info in schema.model_fields.items():
            try:
                field = model._meta.get_field(fields.get(name, name))
            except FieldDoesNotExist:
                continue
            base, constraints = _constraints(field)
            if base is None:
                continue
            declared, optional = _split_optional(info.annotation)
            if declared is not (str if get_origin(base) is Literal else base):
                continue
            annotated = Annotated[(base, *constraints)] if constraints else base
            overrides[name] = (annotated | None if optional else annotated, info)
        if not overrides:
            return schema
        from pydantic import create_model

        bounded = create_model(schema.__name__, __base__=schema, __module__=schema.__module__, **overrides)
        bounded.__qualname__ = schema.__qualname__
        bounded.__doc__ = schema.__doc__
        return bounded

    return decorate


__all__ = [
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_YEAR",
    "MIN_YEAR",
    "Date",
    "Limit",
    "MonthNumber",
    "Offset",
    "Pagination",
    "Year",
    "YearFilter",
    "YearMonth",
    "date_in_range",
    "model_bounds",
    "parse_year",
]
