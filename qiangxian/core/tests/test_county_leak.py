"""The county boundary, route by route: a county-A user against county B's ids and filters.

The routes are not listed by hand: every URL pattern of the project (pages, htmx fragments,
exports, downloads and every API operation, which django-ninja mounts as URL patterns too) is
walked from the resolver, so a route added later is covered the day it appears. Integer path
parameters are filled with every id of county B's records; other parameters come from FILL,
and a route that cannot be filled must be listed in EXEMPT with its reason, else the test
fails. Each route is asked plainly and with query filters naming county B's units, enterprises
and scope; any answer showing county B's names or codes fails the test (xlsx and docx files are
opened and their text searched, JSON is decoded first).
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .counties import B_MARKERS, build_city

# Non-integer path parameters, by name, and the values to try.
FILL = {
    "code": ["gross_output", "main_revenue"],
    "project_kind": ["new_build"],
    "tier": ["above_scale", "high_tech"],
    "kind": ["value", "designation", "award", "judgement"],
    "action": ["confirm", "reject"],
    "which": ["file", "extra"],
}
# Routes the walk does not request, each with the reason.
EXEMPT = {
    "django-admin/": "Django admin: staff only, county users are not staff (sent to the login page)",
    "enterprises/imports/review/<slug:token>/": "the token names a file staged in the asker's own session",
    "logout/": "ends the session the walk runs in",
    "api/docs": "static documentation page (no records)",
    "api/openapi.json": "the API schema (no records)",
}
INT_PARAM = re.compile(r"^(int:)?(\w+_id|pk|id)$")


def _routes():
    """Every URL pattern as (route text, parameter names)."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    seen = []
    for route in walk(get_resolver()):
        if route not in seen:
            seen.append(route)
    return seen


def _exempt(route: str) -> bool:
    return any(route == key or (key.endswith("/") and route.startswith(key)) for key in EXEMPT)


def _fill(route: str, ids: list[int]) -> list[str] | None:
    """Concrete paths for a route, or None when a parameter cannot be filled."""
    paths = [route.lstrip("^").rstrip("$")]
    for param in re.findall(r"<([^>]+)>", route):
        name = param.split(":")[-1]
        if INT_PARAM.match(param) or param.startswith("int:"):
            values = [str(i) for i in ids]
        elif name in FILL:
            values = FILL[name]
        else:
            return None
        paths = [p.replace(f"<{param}>", v, 1) for p in paths for v in values]
    return ["/" + p for p in paths]


def _text(response) -> str:
    """Everything a user could read in the answer, whatever its format."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body[:2] == b"PK":  # xlsx, docx: zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    text = body.decode("utf-8", "replace")
    if "json" in kind:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text + " " + response.get("Location", "") + " " + response.get("HX-Redirect", "")


def _leaks(text: str, markers) -> list[str]:
    return [m for m in markers if m in text]


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def _b_ids(city) -> list[int]:
    """Every id of county B's records (and B's users), across all tables."""
    from django.apps import apps

    b = city["counties"]["b"]["county"]
    ids = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "core",
            "enterprises",
            "projects",
            "statistics",
            "tiers",
            "rules",
            "policies",
            "service",
            "inbox",
            "land",
            "supervision",
            "chains",
            "portal",
        }:
            continue
        if model.__name__.startswith("Historical"):
            continue
        ids.update(_rows_of_county(model, b))
    return sorted(ids)


def _rows_of_county(model, county):
    from qiangxian.core.access import county_path_of

    path = county_path_of(model)
    if not path:
        return []
    try:
        return list(model._default_manager.filter(**{path: county.pk}).values_list("pk", flat=True)[:50])
    except Exception:  # a path that does not resolve on this model is no county of its own
        return []


def _queries(city) -> list[str]:
    b = city["counties"]["b"]
    firm = b["enterprises"][0]
    names = "鞋业"
    return [
        "",
        f"?q={names}&query={names}&search={names}&name={names}&town={b['town'].pk}&park={b['park'].pk}"
        f"&zone={b['zone'].pk}&unit={b['bureau'].pk}&enterprise={firm.pk}&enterprise_id={firm.pk}"
        f"&project={b['project'].pk}&cluster={b['cluster'].pk}&county={b['county'].pk}"
        f"&scope_kind=county&scope_id={b['county'].pk}&scope=county:{b['county'].pk}",
        f"?scope_kind=town&scope_id={b['town'].pk}&scope=town:{b['town'].pk}",
    ]


def test_every_route_can_be_walked():
    """A route the walk cannot fill must be exempted with a reason: nothing is skipped silently."""
    unknown = [r for r in _routes() if not _exempt(r) and _fill(r, [1]) is None]
    assert not unknown, f"路由无法自动填充参数，请在 FILL 或 EXEMPT 中说明：{unknown}"


@pytest.mark.parametrize("who", ["a_admin", "a_bureau"])
def test_no_route_shows_county_b_to_a_county_a_user(city, client, who):
    from qiangxian.enterprises.models import Enterprise

    client.force_login(city["users"][who])
    b_ids = _b_ids(city)
    markers = list(B_MARKERS) + list(
        Enterprise.objects.filter(town__county=city["counties"]["b"]["county"]).values_list("uscc", flat=True)
    )
    found = []
    for route in _routes():
        if _exempt(route):
            continue
        paths = _fill(route, b_ids)
        for path in paths:
            for query in _queries(city) if "<" not in route else [""]:
                response = client.get(path + query)
                if response.status_code >= 500:
                    found.append(f"{path}{query} → {response.status_code}")
                    continue
                leaked = _leaks(_text(response), markers)
                if leaked:
                    found.append(f"{path}{query} → {leaked}")
    assert not found, "县域数据泄露：\n" + "\n".join(found)
