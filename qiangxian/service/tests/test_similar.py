"""举一反三: one problem in other words is grouped, other problems are not; a group becomes one task."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from qiangxian.service import selectors, services, similar
from qiangxian.service.models import Demand
from qiangxian.service.similar import group_similar

TEXTS = [
    "园区三号路路面破损严重，重型货车进出困难",
    "三号路路面坑洼破损，货车进出困难请修路",
    "工业园区三号路路面破损，货车进出困难，雨天积水",
    "招不到熟练缝纫工",
    "缝纫车间招不到熟练缝纫工，缺口5人",
    "缝纫工招聘难，缺熟练缝纫工",
    "技改奖补资金未兑现",
    "天然气管道未接通",
    "技术工人短缺，数控操作工缺5人",
    "希望参加产销对接会",
]


def test_groups_the_same_problem_apart_from_others():
    groups = group_similar(TEXTS)
    assert sorted(map(sorted, groups)) == [[0, 1, 2], [3, 4, 5]]


def _star_groups_plainly(matrix, threshold, min_size):
    """The definition, row by row over the whole similarity matrix: the first free row gathers
    every free row at least ``threshold`` similar to it."""
    similarity = (matrix @ matrix.T).toarray()
    free = [True] * matrix.shape[0]
    groups = []
    for i in range(matrix.shape[0]):
        if not free[i]:
            continue
        members = {i} | {j for j in range(matrix.shape[0]) if free[j] and similarity[i, j] >= threshold}
        for j in members:
            free[j] = False
        groups.append(sorted(members))
    return sorted((g for g in groups if len(g) >= min_size), key=lambda g: (-len(g), g[0]))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=1, max_size=25),
    block=st.integers(1, 7),
    min_size=st.integers(1, 4),
)
def test_blocked_grouping_over_free_rows_is_the_plain_star_grouping(rows, block, min_size):
    dense = np.array(rows, dtype=float)
    dense[dense.sum(axis=1) == 0, 0] = 1.0  # no empty text: each has a word
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    matrix = sparse.csr_matrix(dense)
    with mock.patch.object(similar, "BLOCK", block):
        got = similar.star_groups(matrix, threshold=0.6137, min_size=min_size)
    assert got == _star_groups_plainly(matrix, 0.6137, min_size)


def test_nothing_to_group_in_unrelated_texts():
    assert group_similar(TEXTS[6:]) == []


@pytest.mark.django_db
def test_group_becomes_one_task_linked_to_every_demand(svc):
    e = svc["enterprises"]
    made = [
        services.demand_create(actor=svc["office"], enterprise=enterprise, category="other", title=text)
        for enterprise, text in zip(e.values(), TEXTS[:3] + TEXTS[6:8], strict=True)
    ]
    groups = selectors.similar_groups(user=svc["office"])
    assert [sorted(g.ids) for g in groups] == [sorted(d.pk for d in made[:3])]
    with pytest.raises(PermissionDenied):
        services.demand_group_create(
            actor=svc["hr1"], demands=made[:3], title="修路", kind="task", lead_unit=svc["hr"]
        )
    with pytest.raises(ValidationError):
        services.demand_group_create(
            actor=svc["office"], demands=made[:1], title="修路", kind="task", lead_unit=svc["hr"]
        )
    group = services.demand_group_create(
        actor=svc["office"], demands=made[:3], title="园区三号路修复", kind="task", lead_unit=svc["hr"]
    )
    assert set(Demand.objects.filter(task_group=group).values_list("pk", flat=True)) == {
        d.pk for d in made[:3]
    }
    assert selectors.similar_groups(user=svc["office"]) == []


@pytest.mark.django_db
def test_page_for_the_office_only(client, svc, own):
    client.force_login(svc["hr1"])
    assert client.get("/service/similar/").status_code == 403
    client.force_login(svc["office"])
    assert client.get("/service/similar/").status_code == 200
