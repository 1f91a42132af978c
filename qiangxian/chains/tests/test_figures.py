"""Link figures add up to the cluster's figures; an enterprise on two links counts once in the total."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from qiangxian.chains import selectors, services
from qiangxian.chains.choices import Strength
from qiangxian.statistics import indicators

from .conftest import MARCH

pytestmark = pytest.mark.django_db


def _place(chain, pairs):
    for link_name, firm_name in pairs:
        services.placement_confirm(
            actor=chain["office"], link=chain["links"][link_name], enterprise=chain["firms"][firm_name]
        )


def test_links_add_up_to_the_clusters_figures_when_each_enterprise_is_on_one_link(chain, users):
    _place(
        chain,
        [
            ("成品鞋制造", "甲镇园区鞋业有限公司"),
            ("纺织面料", "甲镇纺织有限公司"),
            ("鞋材辅料", "乙镇机械有限公司"),
        ],
    )
    picture = selectors.chain_picture(users["office"], chain["chain"], month=MARCH)
    cluster = indicators.value(
        "gross_output", month=MARCH, above_only=False, group=("cluster", str(chain["cluster"].pk))
    )
    link_sum = sum(r.figures.output for r in picture.rows if r.figures.output is not None)
    assert link_sum == cluster.value == picture.total.output == D(2_000_000)
    assert sum(r.figures.n for r in picture.rows) == cluster.n == picture.total.n == 3
    # Growth on the comparable basis: the new entrant stays out, as in the cluster's rollup.
    assert picture.total.growth == cluster.growth
    assert sum(r.figures.share for r in picture.rows if r.figures.share is not None) == D(1)


def test_an_enterprise_on_two_links_counts_once_in_the_cluster_total(chain, users):
    _place(
        chain,
        [
            ("成品鞋制造", "甲镇园区鞋业有限公司"),
            ("鞋材辅料", "甲镇园区鞋业有限公司"),
            ("纺织面料", "甲镇纺织有限公司"),
        ],
    )
    picture = selectors.chain_picture(users["office"], chain["chain"], month=MARCH)
    rows = {r.link.name: r for r in picture.rows}
    assert rows["成品鞋制造"].figures.output == rows["鞋材辅料"].figures.output == D(1_200_000)
    assert picture.total.output == D(1_700_000)
    assert picture.total.n == 2
    assert picture.total.above_scale == 1


def test_strength_missing_thin_strong_and_in_progress(chain, users):
    from qiangxian.projects.models import Project

    chain["chain"].thin_threshold = 2
    chain["chain"].save()
    _place(
        chain,
        [
            ("成品鞋制造", "甲镇园区鞋业有限公司"),
            ("成品鞋制造", "乙镇机械有限公司"),
            ("纺织面料", "甲镇纺织有限公司"),
        ],
    )
    picture = selectors.chain_picture(users["office"], chain["chain"], month=MARCH)
    states = {r.link.name: r.strength for r in picture.rows}
    assert states == {
        "纺织面料": Strength.THIN,
        "鞋材辅料": Strength.MISSING,
        "成品鞋制造": Strength.STRONG,
        "品牌与电商": Strength.MISSING,
    }
    lead = Project.objects.create(code="XS-1", name="鞋底材料项目", stage="sourcing")
    services.project_place(actor=chain["office"], project=lead, link=chain["links"]["鞋材辅料"])
    picture = selectors.chain_picture(users["office"], chain["chain"], month=MARCH)
    row = next(r for r in picture.rows if r.link.name == "鞋材辅料")
    assert row.strength == Strength.IN_PROGRESS
    assert row.leads == 1


def test_a_town_sees_only_its_own_enterprises_on_the_chain(chain, users):
    _place(chain, [("成品鞋制造", "甲镇园区鞋业有限公司"), ("鞋材辅料", "乙镇机械有限公司")])
    picture = selectors.chain_picture(users["town"], chain["chain"], month=MARCH)
    rows = {r.link.name: r for r in picture.rows}
    assert rows["成品鞋制造"].figures.n == 1
    assert rows["鞋材辅料"].figures.n == 0
    assert picture.total.output == D(1_200_000)
