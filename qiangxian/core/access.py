"""The single access gate: what a user's role and unit let them see.

Every app's querysets implement ``visible_to(user)`` with :class:`ScopedQuerySet`, declaring how
a row reaches a town, a park, a zone, an enterprise or a bureau, and (``county_path``) how it
reaches its county. Selectors call it; nothing else filters by jurisdiction.

Counties as jurisdictions
-------------------------
The org-unit tree is province → city → county → (office, bureaus, towns, parks and zones,
enterprises). A county placed under a city or a province is a boundary: its users see nothing
of another county, and city or province users see the counties below them. A county standing
alone (the tree's root: one installation for one county) has no neighbour to hide from, so its
scopes carry no county filter and every query is exactly what it was before counties existed.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from .choices import OrgUnitKind, Role

# Roles that see the whole of their jurisdiction (a county, or the counties below a city/province).
WIDE_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE)
LEVELS = (OrgUnitKind.COUNTY, OrgUnitKind.CITY, OrgUnitKind.PROVINCE)


@dataclass(frozen=True)
class Scope:
    """What a user may see, reduced to the few shapes the jurisdictions take.

    ``everything`` means the whole of the user's jurisdiction; ``level`` says which (county, city
    or province) and ``unit_id`` is then that county/city/province unit. ``counties`` is the county
    boundary: the ids of the counties the user's rows must belong to, or None where there is no
    boundary (a standalone county, a superuser).
    """

    everything: bool = False
    kind: str = ""  # one of "town", "park", "zone", "enterprise", "bureau" when not everything
    unit_id: int | None = None
    counties: tuple[int, ...] | None = None
    level: str = ""

    @property
    def above_counties(self) -> bool:
        """Whether the user works at a city or a province, above the counties."""
        return self.level in (OrgUnitKind.CITY, OrgUnitKind.PROVINCE)

    @property
    def county_id(self) -> int | None:
        """The one county of a county-bound scope (None above a county or without a boundary)."""
        if self.above_counties or not self.counties or len(self.counties) != 1:
            return None
        return self.counties[0]


NOTHING = Scope()


def scope_of(user) -> Scope:
    """The user's scope from role and unit; anonymous or unplaced users see nothing.

    Kept on the user object for the request: a city user's counties cost one query.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    return _kept(user, "_qx_scope", lambda: _compute_scope(user))


def _kept(user, name: str, compute):
    """``compute()`` kept on the user object under ``name`` for the request, recomputed if the
    user's role, unit or standing changed since."""
    key = (user.role, user.org_unit_id, user.is_superuser, user.is_active)
    cached = user.__dict__.get(name)
    if cached is not None and cached[0] == key:
        return cached[1]
    value = compute()
    user.__dict__[name] = (key, value)
    return value


def _compute_scope(user) -> Scope:
    from .models import OrgUnit

    unit = user.org_unit
    if unit is None:
        if user.is_superuser:
            return Scope(everything=True)
        # An unplaced leader or office user of a lone county saw everything; in a tree of
        # counties nobody unplaced may, or they would see every county.
        if user.role in WIDE_ROLES and not OrgUnit.objects.filter(kind__in=LEVELS[1:]).exists():
            return Scope(everything=True, level="county")
        return NOTHING
    county = unit.county if unit.county_id else None
    if county is not None:
        counties = (county.pk,) if county.parent_id else None
        level_unit, level = county, "county"
    else:
        level_unit = next(
            (u for u in [unit, *reversed(unit.ancestors())] if u.kind in LEVELS[1:]),
            None,
        )
        level = level_unit.kind if level_unit else "county"
        counties = _counties_below(level_unit) if level_unit else None
    if user.is_superuser or user.role in WIDE_ROLES:
        return Scope(
            everything=True, level=level, unit_id=level_unit.pk if level_unit else None, counties=counties
        )
    shapes = {
        (Role.TOWN, OrgUnitKind.TOWN): "town",
        (Role.PARK, OrgUnitKind.PARK): "park",
        (Role.PARK, OrgUnitKind.ZONE): "zone",
        (Role.ENTERPRISE, OrgUnitKind.ENTERPRISE): "enterprise",
        (Role.BUREAU, OrgUnitKind.BUREAU): "bureau",
    }
    kind = shapes.get((user.role, unit.kind))
    if kind is None or level != "county":
        # No rows of their own (security and audit administrators...), but still a boundary: what
        # they are shown of accounts and their events stays inside their counties.
        above = level_unit.pk if level_unit is not None and level != "county" else None
        return Scope(counties=counties, level=level, unit_id=above) if counties is not None else NOTHING
    return Scope(kind=kind, unit_id=unit.pk, counties=counties)


def _counties_below(unit) -> tuple[int, ...]:
    """The counties under a city (its children) or a province (children and grandchildren)."""
    from .models import OrgUnit

    return tuple(
        OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY)
        .filter(Q(parent=unit) | Q(parent__parent=unit))
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )


def issuing_unit_id(user) -> int | None:
    """The unit in whose name the user issues targets, clusters and rules: their city or province
    for users above the counties, else their county (None when unplaced)."""
    scope = scope_of(user)
    if scope.above_counties:
        return scope.unit_id
    unit = getattr(user, "org_unit", None)
    return unit.county_id if unit is not None else None


def home_county_id(user) -> int | None:
    """The county a user works in (their unit's county): the county a record they create belongs
    to. None for city and province users and the unplaced."""
    unit = getattr(user, "org_unit", None) if user is not None else None
    return unit.county_id if unit is not None else None


def settings_county_id(user=None) -> int | None:
    """Whose settings row applies (the request's user when none is given): the county of a
    county-bound user, the city or province of a user above the counties (their office's settings
    apply to the counties below that have none of their own: :func:`nearest_issued`); None (the
    installation's default row) for a lone county, jobs and the shell."""
    scope = scope_of(user if user is not None else current_user())
    if scope.above_counties and scope.counties is not None:
        return scope.unit_id
    return scope.county_id


def issuer_chain(unit_id: int | None) -> list[int]:
    """A county (or city) and the levels above it, nearest first: county, city, province."""
    return _issuer_chains([unit_id])[unit_id]


def _issuer_chains(unit_ids) -> dict[int | None, list[int]]:
    """:func:`issuer_chain` of several units in one query (an unknown unit or None: [])."""
    from .models import OrgUnit

    chains: dict[int | None, list[int]] = {pk: [] for pk in unit_ids}
    known = [pk for pk in chains if pk is not None]
    if known:
        for row in OrgUnit.objects.filter(pk__in=known).values_list("pk", "parent_id", "parent__parent_id"):
            chains[row[0]] = [pk for pk in row if pk is not None]
    return chains


def nearest_issued(queryset, unit_id: int | None, field: str = "county", order: tuple[str, ...] = ("pk",)):
    """The row issued nearest to a county: its own, else its city's, else its province's, else the
    installation's default (``field`` empty); None when there is none of these.

    Settings, routing rules and the like belong to the level that issued them (``field`` is the
    issuing org unit) and apply to the counties below that have none of their own. Where a level
    has several rows, the first in ``order`` is its (the oldest by default; schemes: the latest
    version).
    """
    return _nearest(queryset, {unit_id: issuer_chain(unit_id)}, field, order)[unit_id]


def nearest_issued_many(queryset, unit_ids, field: str = "county", order: tuple[str, ...] = ("pk",)) -> dict:
    """:func:`nearest_issued` for several counties at once, in two queries whatever their number
    (a province's rollup asks for the thresholds of a hundred counties)."""
    return _nearest(queryset, _issuer_chains(set(unit_ids)), field, order)


def _nearest(queryset, chains: dict, field: str, order: tuple[str, ...]) -> dict:
    """For each unit, the first row (in ``order``) along its chain of issuers, else the default."""
    wanted = {pk for chain in chains.values() for pk in chain}
    rows = queryset.filter(Q(**{f"{field}__in": wanted}) | Q(**{f"{field}__isnull": True})).order_by(*order)
    found: dict[int | None, object] = {}
    for row in rows:
        found.setdefault(getattr(row, f"{field}_id"), row)  # the oldest default row, as before
    return {
        unit: next((found[key] for key in [*chain, None] if key in found), None)
        for unit, chain in chains.items()
    }


LEVEL_WORDS = {OrgUnitKind.COUNTY: "县级", OrgUnitKind.CITY: "市级", OrgUnitKind.PROVINCE: "省级"}


def issued_label(issuer, noun: str) -> str:
    """Who issued a shared row, for the pages that show it: "市级方案（测试市发布）"; the
    installation's default row (no issuer) is "平台默认方案"."""
    if issuer is None:
        return f"平台默认{noun}"
    return f"{LEVEL_WORDS.get(issuer.kind, '')}{noun}（{issuer.name}发布）"


def issuers_above(user) -> dict:
    """The units that issue rows for the user from a level above theirs, each mapped to the level
    (city or province) it speaks for: the city and province over a county user (over a city user,
    the province), and the offices inside them.

    Empty for a lone county, an unplaced user and the top of the tree, so nothing is labelled
    there. Two queries, kept on the user object for the request: a list labels every row from it.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return _kept(user, "_qx_above", lambda: _issuers_above(user))


def _issuers_above(user) -> dict:
    above: dict = {}
    here = issuing_unit_id(user) if scope_of(user).counties is not None else None
    chain = issuer_chain(here)[1:] if here is not None else []
    if chain:
        from .models import OrgUnit

        units = list(
            OrgUnit.objects.filter(
                Q(pk__in=chain)
                | Q(parent__in=chain, county__isnull=True)
                | Q(parent__parent__in=chain, county__isnull=True)
            )
            .exclude(~Q(pk__in=chain), kind__in=LEVELS)
            .select_related("parent")
        )
        levels = {u.pk: u for u in units if u.pk in chain}
        for unit in units:
            level = levels.get(unit.pk) or levels.get(unit.parent_id)
            if level is None and unit.parent is not None:
                level = levels.get(unit.parent.parent_id)
            if level is not None:
                above[unit.pk] = level
    return above


def issuers_below(user) -> dict:
    """For a user above the counties, the levels below theirs whose rows their lists hold beside
    their own: the counties of their city or province, and a province's cities, by id.

    Empty for a county user, an unplaced user and a lone county. One query, kept on the user
    object for the request.
    """
    scope = scope_of(user)
    if not scope.above_counties or not scope.counties:
        return {}

    def below() -> dict:
        from .models import OrgUnit

        units = OrgUnit.objects.filter(
            Q(pk__in=scope.counties) | Q(kind=OrgUnitKind.CITY, parent_id=scope.unit_id)
        )
        return {unit.pk: unit for unit in units}

    return _kept(user, "_qx_below", below)


def issued_by(user, issuer_id: int | None, noun: str) -> str:
    """Who issued a row, as the user is shown it: "市级政策（测试市发布）" for a row issued by a
    level above the user's, empty for the user's own level's rows (and everywhere in a lone
    county). ``issuer_id`` is the row's issuing unit (a city, or an office of it)."""
    level = issuers_above(user).get(issuer_id) if issuer_id is not None else None
    return issued_label(level, noun) if level is not None else ""


def issued_above(user, issuer_id: int | None) -> bool:
    """Whether a row was issued by a level above the user's: such a row is read-only for them."""
    return issuer_id is not None and issuer_id in issuers_above(user)


def may_issue(user) -> bool:
    """Whether the user keeps the rows their level issues (policies and their clauses, rule sets,
    targets, clusters, schemes, settings): the office and administrators of a county, a city or a
    province, and superusers. Leaders read. A city or province office changes only its own
    level's rows (:func:`own_level`); a county's grants, applications and enterprise data stay
    the county office's (``User.can_manage``)."""
    return bool(user is not None and getattr(user, "can_issue", False))


def own_level(user, issuer_id: int | None) -> bool:
    """Whether a row was issued at the user's own level, so that the user may change it.

    Above the counties: the user's city or province, or a unit inside it (its office), and
    nothing else: a county's row is the county's, the installation's default row nobody's. In a
    county: anything not issued above it (as before: the county's own rows and, in a lone county,
    unissued ones). Without a boundary (a superuser): everything.
    """
    scope = scope_of(user)
    if not scope.above_counties or scope.counties is None:
        return not issued_above(user, issuer_id)
    if issuer_id is None:
        return False
    if issuer_id == scope.unit_id:
        return True
    from .models import OrgUnit

    # A unit inside the level (its office, or a section of the office): not a county's unit and
    # not inside a city below a province.
    inside = Q(parent_id=scope.unit_id) | (Q(parent__parent_id=scope.unit_id) & ~Q(parent__kind__in=LEVELS))
    return OrgUnit.objects.filter(inside, pk=issuer_id, county__isnull=True).exclude(kind__in=LEVELS).exists()


def may_change_issued(user, issuer_id: int | None) -> bool:
    """Whether the user may change a row issued by ``issuer_id``: they keep their level's rows
    (:func:`may_issue`) and the row is their level's (:func:`own_level`). Pages show the edit and
    publish buttons on this."""
    return may_issue(user) and own_level(user, issuer_id)


def require_own_level(user, issuer_id: int | None, noun: str) -> None:
    """Refuse a change to a row not issued at the user's level: a city's policy, target or
    cluster is read, never changed, by its counties, and a county's by its city (the pages offer
    no button for either)."""
    if own_level(user, issuer_id):
        return
    from django.core.exceptions import PermissionDenied

    if issued_above(user, issuer_id):
        raise PermissionDenied(f"该{noun}由上级发布，只能查看，不能修改。")
    raise PermissionDenied(f"该{noun}不是本级发布的，只能查看，不能修改。")


def settings_note(row, user, noun: str = "设置") -> str:
    """Where the settings a page shows come from, and what saving does: the user's level's own row,
    or one issued above (or the default) that saving turns into a row of the user's level."""
    here = settings_county_id(user)
    if here is None or row.county_id == here:
        return ""
    from .models import OrgUnit

    issuer = OrgUnit.objects.filter(pk=row.county_id).first() if row.county_id else None
    return f"当前沿用{issued_label(issuer, noun)}；保存后成为本级自己的{noun}，上级以后的修改不再影响本级。"


def county_filter(scope: Scope, county_path: str | None) -> Q:
    """Rows inside the scope's county boundary; everything where there is no boundary.

    A model that cannot say which county its rows belong to shows nothing inside a boundary:
    a forgotten path hides data, it never leaks it.
    """
    if scope.counties is None:
        return Q()
    if not county_path or not scope.counties:
        return Q(pk__in=[])
    return Q(**{f"{county_path}__in": scope.counties})


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows belong to jurisdictions.

    ``scope_paths`` maps a scope kind to the lookup (relative to this model) of the org unit that
    owns the row in that jurisdiction; a kind that is missing sees none of these rows. A bureau
    either sees the rows routed to it (path under "bureau") or, where ``bureau_reads_all`` is set,
    the whole table of its county (the registry is the county's common directory).

    ``county_path`` is the lookup of the row's county unit. Left empty it is found from the
    model's fields (:func:`county_path_of`): a ``county`` field, else the first foreign key to a
    scoped model (an enterprise, a project...) or to an org unit, so a model that hangs off an
    enterprise or a unit is county-scoped with no code of its own.
    """

    scope_paths: ClassVar[dict[str, str]] = {}
    bureau_reads_all: ClassVar[bool] = False
    county_path: ClassVar[str] = ""

    def visible_to(self, user):
        """Only the rows the user may see."""
        return self.filter(self.scope_q(scope_of(user)))

    def scope_q(self, scope: Scope) -> Q:
        """The jurisdiction filter of this model for a scope (county boundary included)."""
        return scope_filter(
            scope, self.scope_paths, self.bureau_reads_all, county_path=county_path_of(self.model)
        )


def scope_filter(
    scope: Scope, paths: dict[str, str], bureau_reads_all: bool = False, *, county_path: str | None = None
) -> Q:
    """The Q object for a scope; a Q that matches nothing when the scope has no path here.

    Units below a county (towns, parks, bureaus...) lie in one county, so the unit path already
    keeps a town user inside it; the county boundary is added for those who see a whole table.
    """
    if scope.everything or (scope.kind == "bureau" and bureau_reads_all):
        return county_filter(scope, county_path)
    path = paths.get(scope.kind)
    if scope.unit_id is None or path is None:
        return Q(pk__in=[])
    return Q(**{path: scope.unit_id})


_COUNTY_PATHS: dict[type, str | None] = {}


def county_path_of(model) -> str | None:
    """How a model's rows reach their county unit (a lookup), or None when they cannot.

    Declared (``county_path`` on the model's queryset), else found: a ``county`` foreign key; the
    first foreign key to a model that has a county path itself; the first foreign key to an org
    unit (every unit knows its county). Computed once per model.
    """
    if model in _COUNTY_PATHS:
        return _COUNTY_PATHS[model]
    _COUNTY_PATHS[model] = None  # a cycle resolves to "none" rather than recursing forever
    from .models import OrgUnit

    declared = getattr(model._default_manager.get_queryset(), "county_path", "")
    path = declared or None
    fks = [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]
    if path is None:
        for field in fks:
            if field.name == "county" and field.related_model is OrgUnit:
                path = "county"
                break
    if path is None and model is OrgUnit:
        path = "county"
    if path is None:
        for field in sorted(fks, key=lambda f: f.null):  # a required link is the row's owner
            target = field.related_model
            if target is OrgUnit or target is model:
                continue
            target_qs = target._default_manager.get_queryset()
            scoped = hasattr(target_qs, "scope_paths") or isinstance(target_qs, CountyQuerySet)
            inner = county_path_of(target) if scoped else None
            if inner:
                path = f"{field.name}__{inner}"
                break
    if path is None:
        unit_fks = [f for f in fks if f.related_model is OrgUnit]
        if unit_fks:
            path = f"{sorted(unit_fks, key=lambda f: f.null)[0].name}__county"
    _COUNTY_PATHS[model] = path
    return path


def area_filter(scope: Scope, kind_field: str = "scope_kind", id_field: str = "scope_id") -> Q:
    """Rows keyed by an area (``kind_field`` "county"/"town"/"park"/"zone" and the unit id in
    ``id_field``: rollups, targets, official figures) that lie inside the scope.

    A lone county keys its own area ("county", 0); a county under a city by its id.
    """
    if scope.everything or scope.kind == "bureau":
        if scope.counties is None:
            return Q()
        from .models import OrgUnit

        units = OrgUnit.objects.filter(county__in=scope.counties).exclude(kind=OrgUnitKind.COUNTY)
        return Q(**{kind_field: "county", f"{id_field}__in": scope.counties}) | Q(
            **{f"{kind_field}__in": ("town", "park", "zone"), f"{id_field}__in": units.values("pk")}
        )
    if scope.kind in ("town", "park", "zone") and scope.unit_id:
        return Q(**{kind_field: scope.kind, id_field: scope.unit_id})
    return Q(pk__in=[])


def issued_filter(scope: Scope, field: str = "issuer") -> Q:
    """Rows issued by a level (``field`` is the issuing org unit) that apply to the scope: issued
    by nobody (shared), by one of the user's counties or a unit in it, or by a city or province
    above them. City and province users see what they and the counties below issued.
    """
    if scope.counties is None:
        return Q()
    from .models import OrgUnit

    above = OrgUnit.objects.filter(
        Q(children__pk__in=scope.counties) | Q(children__children__pk__in=scope.counties),
        kind__in=(OrgUnitKind.CITY, OrgUnitKind.PROVINCE),
    )
    # The levels above and the units inside them (their offices): a task led by the city's
    # office is the city's, as :func:`issuers_above` reads it.
    issuers = OrgUnit.objects.filter(
        Q(pk__in=above.values("pk"))
        | (Q(parent__in=above.values("pk"), county__isnull=True) & ~Q(kind__in=LEVELS))
    )
    q = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": issuers.values("pk")})
    if scope.counties:
        q |= Q(**{f"{field}__county__in": scope.counties})
    return q


class CountyQuerySet(models.QuerySet):
    """Rows that belong to one county as a whole (``county`` field): everyone in it reads them."""

    def visible_to(self, user):
        scope = scope_of(user)
        if not (scope.everything or scope.kind):
            return self.none()
        return self.filter(county_filter(scope, "county"))


class IssuedQuerySet(models.QuerySet):
    """Rules, targets and lists issued by one level and applying to the counties below it."""

    issuer_field: ClassVar[str] = "issuer"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.counties is None:  # no boundary: any signed-in user reads them, as before
            return self.all() if getattr(user, "is_authenticated", False) else self.none()
        if not (scope.everything or scope.kind):
            return self.none()
        return self.filter(issued_filter(scope, self.issuer_field))


def within_counties(queryset, scope: Scope):
    """A queryset cut to the scope's county boundary only (no town or park narrowing).

    Used for the choices a form or filter offers, so a county user never picks (or reads the
    name of) another county's unit, enterprise, user or cluster. Shared catalogues (models with
    no way to a county) pass unchanged.
    """
    if scope.counties is None or queryset is None:
        return queryset
    from .models import OrgUnit

    model = queryset.model
    if isinstance(queryset, IssuedQuerySet):
        return queryset.filter(issued_filter(scope, queryset.issuer_field))
    if model is OrgUnit:
        above = OrgUnit.objects.filter(kind__in=(OrgUnitKind.CITY, OrgUnitKind.PROVINCE))
        q = Q(county__in=scope.counties) | Q(pk__in=above.values("pk"))
        if scope.above_counties and scope.unit_id is not None:
            # A city's or province's own units (its office), which lead the tasks it issues.
            q |= Q(county__isnull=True) & (Q(parent_id=scope.unit_id) | Q(parent__parent_id=scope.unit_id))
        return queryset.filter(q)
    if hasattr(queryset, "visible_to") and hasattr(model, "scope_kind"):
        return queryset.filter(area_filter(scope))
    path = county_path_of(model)
    return queryset.filter(county_filter(scope, path)) if path else queryset


# The request being served, so form and filter choices can be cut to its user's counties
# (set by ``core.middleware.CurrentRequestMiddleware``; empty in jobs and the shell).
_current_request: ContextVar = ContextVar("qx_current_request", default=None)


def current_user():
    """The user of the request being served (None outside a request)."""
    request = _current_request.get()
    return getattr(request, "user", None) if request is not None else None


def scope_choices() -> None:
    """Cut every model choice field's queryset to the asking user's counties.

    Installed once (``CoreConfig.ready``): every form and filter of every app, present and
    future, offers and accepts only choices inside the user's county boundary.
    """
    from django.forms.models import ModelChoiceField

    base = ModelChoiceField.queryset
    if getattr(base.fget, "qx_scoped", False):
        return

    def get(field):
        queryset = base.fget(field)
        user = current_user()
        if user is None or queryset is None or not getattr(user, "is_authenticated", False):
            return queryset
        return within_counties(queryset, scope_of(user))

    get.qx_scoped = True
    ModelChoiceField.queryset = property(get, base.fset)


def get_visible_or_404(queryset, user, pk):
    """The object if the user may see it; the same "not found" for missing and forbidden."""
    try:
        return queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc
