"""The enterprise list page with filters on a 100,000-enterprise database, as the office sees it."""

from __future__ import annotations

import statistics
import time

from _setup import report, setup


def main() -> None:
    setup()
    import importlib

    from django.db import transaction
    from django.test import Client

    from qiangxian.core.models import OrgUnit, User
    from qiangxian.demo.context import DemoContext

    # The registry's own demo steps (units, enterprises, titles, liaisons, plans) at province scale.
    ctx = DemoContext(seed=20260101, n_enterprises=100_000, password="Bench-pass-2026")
    with transaction.atomic():
        for step in ("steps_core", "steps_enterprises", "steps_registry"):
            importlib.import_module(f"qiangxian.demo.{step}").generate(ctx)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="office"))
    town = OrgUnit.objects.get(name="城关镇").pk
    urls = [
        "/enterprises/",
        f"/enterprises/?town={town}&above_scale=true",
        "/enterprises/?q=qs&status=operating",
        "/enterprises/?designation=high_tech",
        "/enterprises/?division=19&sort=-established_on",
    ]
    for url in urls:  # warm caches and templates
        assert client.get(url).status_code == 200
    times = []
    for _ in range(5):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
    report("registry.list_100k", statistics.median(times) * 1000, "ms")


if __name__ == "__main__":
    main()
