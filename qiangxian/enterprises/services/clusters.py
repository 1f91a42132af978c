"""Industrial clusters: a set of industry classes plus members assigned by hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.access import issuing_unit_id, may_issue, require_own_level
from qiangxian.core.bulk import bulk_insert

from ..industry import validate_industry_code
from ..models import Cluster, ClusterMembership, Enterprise
from .registry import can_manage_registry


def cluster_sync_memberships(*, cluster: Cluster, enterprise_ids=None) -> int:
    """Bring a cluster's class-based memberships in line with its industry classes.

    Manual assignments are kept whatever the class; returns how many memberships the cluster has.
    Called after a cluster's classes change and after enterprises are created or re-classified.
    """
    enterprises = Enterprise.objects.all()
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
    wanted = set(enterprises.filter(industry_code__in=cluster.industry_codes).values_list("pk", flat=True))
    existing = cluster.memberships.filter(manual=False)
    if enterprise_ids is not None:
        existing = existing.filter(enterprise_id__in=enterprise_ids)
    have = set(existing.values_list("enterprise_id", flat=True))
    manual = set(cluster.memberships.filter(manual=True).values_list("enterprise_id", flat=True))
    # Class-based memberships are derived data: the enterprise's and the cluster's own histories record
    # the class changes behind them, so they are written in bulk without history rows of their own.
    existing.filter(enterprise_id__in=have - wanted).delete()
    bulk_insert(
        ClusterMembership,
        ["cluster_id", "enterprise_id", "manual"],
        [(cluster.pk, pk, False) for pk in sorted(wanted - have - manual)],
    )
    return cluster.memberships.count()


def clean_industry_codes(codes) -> list[str]:
    """Industry classes from a list or a text (separated by commas, ；, spaces), checked and sorted."""
    if isinstance(codes, str):
        codes = codes.replace("，", ",").replace("；", ",").replace(" ", ",").replace("\n", ",").split(",")
    cleaned: list[str] = []
    problems: list[str] = []
    for code in codes:
        code = str(code).strip()
        if not code:
            continue
        ok, message = validate_industry_code(code)
        if not ok:
            problems.append(message)
        elif code not in cleaned:
            cleaned.append(code)
    if problems:
        raise ValidationError({"industry_codes": problems})
    return sorted(cleaned)


@transaction.atomic
def cluster_save(
    *,
    actor,
    cluster: Cluster | None = None,
    name: str,
    industry_codes,
    description: str = "",
    sort_order: int = 0,
) -> Cluster:
    """Create or change a cluster; its class-based members follow its new classes at once.

    A cluster belongs to the level that issued it: a city's office defines the city's clusters
    (matched by industry class in every county below), a county's office its own.
    """
    if not may_issue(actor):
        raise PermissionDenied("只有领导小组办公室可以维护产业集群。")
    if cluster is not None:
        require_own_level(actor, cluster.issuer_id, "集群")
    cluster = cluster or Cluster(issuer_id=issuing_unit_id(actor))
    cluster.name = name.strip()
    cluster.industry_codes = clean_industry_codes(industry_codes)
    cluster.description = description.strip()
    cluster.sort_order = sort_order or 0
    if not cluster.name:
        raise ValidationError({"name": "请填写集群名称。"})
    if Cluster.objects.filter(name=cluster.name).exclude(pk=cluster.pk).exists():
        raise ValidationError({"name": f"已有名为“{cluster.name}”的集群。"})
    cluster._history_user = actor
    cluster.save()
    cluster_sync_memberships(cluster=cluster)
    return cluster


@transaction.atomic
def cluster_member_add(*, actor, cluster: Cluster, enterprise: Enterprise) -> ClusterMembership:
    """Assign an enterprise to a cluster by hand, whatever its industry class."""
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以维护产业集群。")
    membership = ClusterMembership.objects.filter(cluster=cluster, enterprise=enterprise).first()
    if membership is None:
        membership = ClusterMembership(cluster=cluster, enterprise=enterprise, manual=True)
    elif membership.manual:
        raise ValidationError(f"“{enterprise}”已是“{cluster}”的人工指定成员。")
    membership.manual = True
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def cluster_member_remove(*, actor, cluster: Cluster, enterprise: Enterprise) -> None:
    """Remove a manual member; members by industry class follow the classes and cannot be removed by hand."""
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以维护产业集群。")
    membership = ClusterMembership.objects.filter(cluster=cluster, enterprise=enterprise).first()
    if membership is None:
        raise ValidationError(f"“{enterprise}”不是“{cluster}”的成员。")
    if enterprise.industry_code in cluster.industry_codes:
        if not membership.manual:
            raise ValidationError(
                f"“{enterprise}”按行业小类 {enterprise.industry_code} 归入本集群，"
                "如需移出请修改集群包含的行业小类。"
            )
        membership.manual = False
        membership._history_user = actor
        membership.save()
        return
    membership._history_user = actor
    membership.delete()
