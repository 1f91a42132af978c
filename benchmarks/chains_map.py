"""Benchmark: the chain map of the demo county (1,500 enterprises) for the office.

Prints ``BENCH chains.map_1500 <ms> ms``: the median server time of one chain's page (map data,
table with per-link output and growth from the indicator engine, purchases, projects) through
Django's test client, and ``chains.index_1500``: the index page, which draws every chain's summary.
"""

from __future__ import annotations

from _setup import median_time, report, setup


def main() -> None:
    setup(name="chains")
    from django.test import Client

    from qiangxian.chains.models import Chain
    from qiangxian.core.models import User
    from qiangxian.demo.generator import generate_demo

    generate_demo(enterprises=1500, password="Bench-pass-2026")
    client = Client()
    client.force_login(User.objects.get(username="office"))
    chain = Chain.objects.order_by("pk").first()

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    report("chains.map_1500", median_time(lambda: page(f"/chains/{chain.pk}/")) * 1000, "ms")
    report("chains.index_1500", median_time(lambda: page("/chains/")) * 1000, "ms")


if __name__ == "__main__":
    main()
