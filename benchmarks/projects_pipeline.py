"""Benchmark: the project board with status lights for 5,000 projects with 36 months of progress.

Prints ``BENCH projects.pipeline_5k <ms> ms``: the median server time of the pipeline page for an
office user through Django's test client. Also reports the monthly light recompute and the list page,
and ``projects.approval_units_5k``: the units' performance page (median and p90 working days per
approving unit, and the signing-to-start breakdown) over the checklists of the 5,000 projects
(16 items each for the projects past negotiation, about 50,000 items).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from _setup import median_time, report, setup

N_PROJECTS = 5000
MONTHS = 36


def build() -> None:
    from qiangxian.core.choices import OrgUnitKind, Role
    from qiangxian.core.models import OrgUnit, User
    from qiangxian.projects.choices import STAGE_ORDER, Stage
    from qiangxian.projects.lights import add_months
    from qiangxian.projects.models import Project, ProjectProgress, size_class_of

    rng = random.Random(5000)
    county = OrgUnit.objects.create(name="基准县", kind=OrgUnitKind.COUNTY)
    office = OrgUnit.objects.create(name="办公室", kind=OrgUnitKind.OFFICE, parent=county)
    bureau = OrgUnit.objects.create(name="投促局", kind=OrgUnitKind.BUREAU, parent=county)
    parks = [OrgUnit.objects.create(name=f"园区{i}", kind=OrgUnitKind.PARK, parent=county) for i in range(3)]
    towns = [OrgUnit.objects.create(name=f"乡镇{i}", kind=OrgUnitKind.TOWN, parent=county) for i in range(12)]
    User.objects.create(username="office", role=Role.OFFICE, org_unit=office)
    stages = [*STAGE_ORDER, Stage.TERMINATED]
    projects = []
    for i in range(N_PROJECTS):
        stage = rng.choice(stages)
        total = Decimal(rng.randint(3_000, 300_000)) * 10_000
        signed = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        started = signed + dt.timedelta(days=rng.randint(30, 200))
        index = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 2
        projects.append(
            Project(
                code=f"XM2026{i:05d}",
                name=f"基准项目{i}",
                investor_name="投资方",
                total_investment=total,
                fixed_asset_investment=total * Decimal("0.8"),
                size_class=size_class_of(total),
                stage=stage,
                park=rng.choice(parks),
                town=rng.choice(towns),
                responsible_unit=bureau,
                signed_on=signed if index >= 2 else None,
                started_on=started if index >= 3 else None,
                start_deadline=add_months(signed, 6),
                plan_year=2026,
                planned_investment=total * Decimal("0.3"),
            )
        )
    Project.objects.bulk_create(projects, batch_size=1000)
    first = dt.date(2023, 11, 1)
    rows = []
    for project in Project.objects.filter(started_on__isnull=False).only("pk", "total_investment"):
        cumulative = Decimal(0)
        for m in range(MONTHS):
            amount = project.total_investment * Decimal(rng.randint(5, 30)) / 1000
            cumulative += amount
            rows.append(
                ProjectProgress(
                    project_id=project.pk,
                    month=add_months(first, m),
                    completed_investment=amount,
                    completed_to_date=cumulative,
                    funds_in_place=amount,
                    in_statistics=m > 1,
                )
            )
        if len(rows) > 20_000:
            ProjectProgress.objects.bulk_create(rows, batch_size=2000)
            rows = []
    ProjectProgress.objects.bulk_create(rows, batch_size=2000)
    _checklists(rng)


def _checklists(rng) -> None:
    from qiangxian.core.workdays import add_working_days
    from qiangxian.projects.approvals import services as approvals
    from qiangxian.projects.models import ApprovalItem, ApprovalKind, Project

    approvals.ensure_catalogue()
    kinds = list(ApprovalKind.objects.order_by("phase", "sort_order"))
    items = []
    for project in Project.objects.filter(signed_on__isnull=False).only("pk", "signed_on", "started_on"):
        cursor = project.signed_on
        for position, kind in enumerate(kinds):
            submitted = cursor + dt.timedelta(days=rng.randint(1, 10))
            approved = add_working_days(submitted, max(1, round(kind.promised_days * rng.uniform(0.3, 2.0))))
            done = project.started_on is not None or approved < dt.date(2026, 6, 1)
            items.append(
                approvals.stamp(
                    ApprovalItem(
                        project_id=project.pk,
                        kind=kind,
                        position=position,
                        statutory_days=kind.statutory_days,
                        promised_days=kind.promised_days,
                        submitted_on=submitted,
                        accepted_on=submitted,
                        approved_on=approved if done else None,
                    )
                )
            )
            cursor = max(cursor, approved) if kind.phase != 2 else cursor
        if len(items) > 20_000:
            ApprovalItem.objects.bulk_create(items, batch_size=2000)
            items = []
    ApprovalItem.objects.bulk_create(items, batch_size=2000)


def main() -> None:
    setup()
    build()
    from django.test import Client

    from qiangxian.core.models import User
    from qiangxian.projects import services

    recompute = median_time(
        lambda: services.lights_recompute_month(actor=None, year=2026, month=10), repeat=3
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="office"))

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page("/projects/pipeline/")
    report("projects.pipeline_5k", median_time(lambda: page("/projects/pipeline/"), repeat=7) * 1000, "ms")
    report("projects.list_5k", median_time(lambda: page("/projects/list/"), repeat=5) * 1000, "ms")
    report("projects.overview_5k", median_time(lambda: page("/projects/"), repeat=5) * 1000, "ms")
    report("projects.lights_recompute_5k", recompute * 1000, "ms")
    page("/projects/approvals/units/")
    units = median_time(lambda: page("/projects/approvals/units/"), repeat=5)
    report("projects.approval_units_5k", units * 1000, "ms")
    signed = median_time(lambda: page("/projects/signed-not-started/"), repeat=5)
    report("projects.signed_not_started_5k", signed * 1000, "ms")


if __name__ == "__main__":
    main()
