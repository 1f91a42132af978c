"""The shared list building block: filters, sorting, pagination and Excel export in one place.

A module describes its columns and filterset once; :func:`render_list` serves the page, the
htmx partial that refreshes the table, and the .xlsx export of the filtered rows, so the export
always holds exactly the rows the user filtered and is allowed to see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from . import exports, formatting, fragments


@dataclass(frozen=True)
class Column:
    """One column of a list: how to show it, sort it and export it."""

    key: str
    label: str
    sort: str | None = None  # the order_by field; None: not sortable
    value: Callable[[Any], Any] | None = None  # the raw value (export); default: attribute path
    display: Callable[[Any], Any] | None = None  # what the page shows; default: the value
    link: Callable[[Any], str] | None = None  # a URL for the cell
    numeric: bool = False
    export: bool = True
    export_label: str | None = None  # the header in the .xlsx, e.g. with the unit of the raw value
    # Amounts in yuan: the page shows the whole column in one unit (亿元 or 万元, by the page's
    # largest amount) written once in the header, never 亿元 in one row and 万元 in the next.
    money: bool = False

    @property
    def header(self) -> str:
        return self.export_label or self.label

    def raw(self, obj) -> Any:
        if self.value is not None:
            return self.value(obj)
        current = obj
        for part in self.key.split("__"):
            current = getattr(current, part, None)
            if current is None:
                return None
        return current

    def shown(self, obj) -> Any:
        if self.display is not None:
            return self.display(obj)
        raw = self.raw(obj)
        if isinstance(raw, bool):
            return "是" if raw else "否"
        return "—" if raw in (None, "") else raw


def issued_column(user, noun: str, issuer: Callable[[Any], int | None] | None = None) -> list[Column]:
    """The "who issued it" column of a list of rows issued by levels (policies, targets,
    clusters...). A county user reads "市级政策（测试市发布）" on a row issued above, nothing on
    their own; a city or province user, whose list also holds their counties' rows, reads the
    county's name ("甲县") on those and "本级" on their own.

    ``issuer`` gives a row's issuing unit id (default: its ``issuer_id``). No column at all where
    no other level's rows are listed (a lone county's lists stay as they were).
    """
    from .access import issued_by, issuers_above, issuers_below

    above, below = issuers_above(user), issuers_below(user)
    if not above and not below:
        return []
    of = issuer or (lambda obj: obj.issuer_id)

    def label(obj) -> str:
        unit_id = of(obj)
        if unit_id in below:
            return below[unit_id].name
        return issued_by(user, unit_id, noun) or ("本级" if below else "")

    return [Column("issued_by", "发布单位" if below else "上级发布", value=label, display=label)]


@dataclass(frozen=True)
class ListExport:
    """How to rebuild a list outside the request, for exports too large to write while the user waits."""

    title: str
    columns: list[Column]
    queryset: Callable[[Any], Any]  # user -> the scoped queryset
    filterset_class: Any = None
    default_sort: str = "pk"

    def rows(self, user, params: QueryDict):
        """The filtered, sorted rows' export values, and how many there are."""
        queryset = self.queryset(user)
        if self.filterset_class is not None:
            filterset = self.filterset_class(params or None, queryset=queryset)
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        queryset, _ = sorted_queryset(queryset, self.columns, params.get("sort"), self.default_sort)
        columns = [c for c in self.columns if c.export]
        rows = ([c.raw(obj) for c in columns] for obj in queryset.iterator(chunk_size=2000))
        return [c.header for c in columns], rows, queryset.count()


EXPORTS: dict[str, ListExport] = {}


def register_export(key: str, export: ListExport) -> None:
    """Make a list exportable in the background under ``key``."""
    EXPORTS[key] = export


def sorted_queryset(queryset, columns: Iterable[Column], sort_param: str | None, default: str):
    """Apply a whitelisted sort (``name`` or ``-name``); unknown keys fall back to the default."""
    allowed = {c.key: c.sort for c in columns if c.sort}
    key = (sort_param or "").lstrip("-")
    if key in allowed:
        field = allowed[key]
        descending = (sort_param or "").startswith("-")
        return queryset.order_by(f"-{field}" if descending else field, "pk"), sort_param
    return queryset.order_by(default, "pk"), ""


def render_list(
    request,
    *,
    queryset,
    columns: list[Column],
    template: str,
    title: str,
    filterset_class=None,
    default_sort: str = "pk",
    export_name: str | None = None,
    extra_context: dict | None = None,
    page_size: int | None = None,
    export_key: str | None = None,
    body_template: str | None = None,
    version: Callable[[], str] | None = None,
    version_extra: Iterable[object] = (),
):
    """Serve a filtered, sorted, paginated list page, its htmx partial, or its Excel export.

    With ``body_template`` (the page's body: title, filters, table) and ``version`` (the
    fingerprint of every table the body reads), the body is kept in the cache per reader's scope,
    query string and version (:mod:`core.fragments`); ``version_extra`` adds what else of the
    reader changes it (permission flags, the user where rows depend on the person).
    """
    plain = request.GET.get("export") != "xlsx" and not request.headers.get("HX-Request")
    if body_template and version is not None and plain:
        size = page_size or settings.QX_PAGE_SIZE
        key = fragments.fragment_key(body_template, request, version=version(), extra=[size, *version_extra])

        def build() -> str:
            context = _list_context(
                request, queryset, columns, title, filterset_class, default_sort, extra_context, page_size
            )
            return fragments.render(body_template, context, request)

        content = fragments.cached(key, build, request)
        return render(request, template, {"title": title, **(extra_context or {}), "content": content})

    if request.GET.get("export") == "xlsx":
        queryset = _filtered(request, queryset, columns, filterset_class, default_sort)[0]
        if export_key and queryset.count() > settings.QX_EXPORT_SYNC_LIMIT:
            return _start_background_export(request, export_key, title, export_name)
        return exports.xlsx_response(
            filename=f"{export_name or title}.xlsx",
            title=title,
            headers=[c.header for c in columns if c.export],
            rows=([c.raw(obj) for c in columns if c.export] for obj in queryset.iterator(chunk_size=2000)),
        )

    context = _list_context(
        request, queryset, columns, title, filterset_class, default_sort, extra_context, page_size
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "qx-list":
        return render(request, "core/_list_table.html", context)
    if body_template:
        context["content"] = render_to_string(body_template, context, request=request)
    return render(request, template, context)


def _filtered(request, queryset, columns, filterset_class, default_sort):
    """The queryset narrowed by the request's filters and sorted; the filterset; the sort shown."""
    filterset = (
        filterset_class(request.GET or None, queryset=queryset, request=request) if filterset_class else None
    )
    if filterset is not None:
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    queryset, current_sort = sorted_queryset(queryset, columns, request.GET.get("sort"), default_sort)
    return queryset, filterset, current_sort


def _list_context(
    request, queryset, columns, title, filterset_class, default_sort, extra_context, page_size
) -> dict:
    """One page of the filtered list, its cells formatted, and everything the list templates show."""
    queryset, filterset, current_sort = _filtered(request, queryset, columns, filterset_class, default_sort)
    paginator = Paginator(queryset, page_size or settings.QX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    objects = list(page.object_list)
    units = {c.key: formatting.money_unit(c.raw(obj) for obj in objects) for c in columns if c.money}

    def shown(column: Column, obj):
        if column.money:
            return formatting.format_in_unit(column.raw(obj), units[column.key])
        return column.shown(obj)

    rows = [
        {
            "obj": obj,
            "cells": [
                {"value": shown(c, obj), "link": c.link(obj) if c.link else None, "numeric": c.numeric}
                for c in columns
            ],
        }
        for obj in objects
    ]
    shown_columns = [
        replace(c, label=f"{c.label}（{formatting.MONEY_UNIT_LABELS[units[c.key]]}）") if c.money else c
        for c in columns
    ]
    return {
        "title": title,
        "columns": shown_columns,
        "rows": rows,
        "page_obj": page,
        "paginator": paginator,
        "filter": filterset,
        "current_sort": current_sort,
        **(extra_context or {}),
    }


def _start_background_export(request, export_key: str, title: str, export_name: str | None):
    from . import services
    from .tasks import run_list_export

    params = request.GET.copy()
    params.pop("export", None)
    job = services.job_create(
        owner=request.user,
        kind="export",
        title=f"导出：{title}",
        params={"key": export_key, "query": params.urlencode(), "filename": f"{export_name or title}.xlsx"},
    )
    run_list_export.enqueue(job.pk)
    return redirect("core:job_detail", pk=job.pk)
