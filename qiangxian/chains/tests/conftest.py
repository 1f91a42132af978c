"""A shoe chain over the county fixture: three links, figures for March 2026, rollups filled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.chains import services
from qiangxian.chains.choices import Segment
from qiangxian.enterprises.models import Cluster, ClusterMembership
from qiangxian.statistics import rollup
from qiangxian.statistics.tests.factories import fact

MARCH = dt.date(2026, 3, 1)
# name: (1-3月 output, 上年同期 or None for a new entrant)
OUTPUT = {
    "甲镇园区鞋业有限公司": (D(1_200_000), D(1_000_000)),
    "甲镇纺织有限公司": (D(500_000), D(400_000)),
    "乙镇机械有限公司": (D(300_000), None),
}


@pytest.fixture
def chain(county, users):
    firms = county["enterprises"]
    cluster = Cluster.objects.create(name="鞋服纺织", industry_codes=["1952", "1713"])
    for name in OUTPUT:
        ClusterMembership.objects.create(cluster=cluster, enterprise=firms[name])
        fact(firms[name], MARCH, gross_output_ytd=OUTPUT[name][0], gross_output_ytd_ly=OUTPUT[name][1])
    rollup.refresh_months([MARCH], follow=False)
    office = users["office"]
    chain = services.chain_save(actor=office, cluster=cluster, name="鞋服纺织产业链", thin_threshold=2)
    links = {}
    for i, (segment, name, codes, words) in enumerate(
        [
            (Segment.UPSTREAM, "纺织面料", ["1713"], ["面料"]),
            (Segment.MIDSTREAM, "鞋材辅料", [], ["鞋底", "鞋材"]),
            (Segment.MIDSTREAM, "成品鞋制造", ["1952"], ["皮鞋"]),
            (Segment.DOWNSTREAM, "品牌与电商", [], ["电商"]),
        ]
    ):
        links[name] = services.link_save(
            actor=office,
            chain=chain,
            segment=segment,
            name=name,
            industry_codes=codes,
            product_keywords=words,
            sort_order=i,
        )
    chain.refresh_from_db()
    return {"chain": chain, "links": links, "firms": firms, "office": office, "cluster": cluster}
