"""Locust users for benchmarks/load.py: logged-in readers of the four busiest pages.

Each simulated user takes one of the sessions prepared by load.py (``QX_LOAD_SESSIONS``, one
session key a line) and reads the dashboard, the registry list, the project board and the tier
pool in turn. ``QX_LOAD_MODE=paced`` spaces each user's requests to 0.2 per second (50 users:
about 10 requests a second in all); ``peak`` sends the next request as soon as one returns.
``QX_LOAD_PAGES`` narrows the pages (e.g. ``/tiers/`` for the tier pool alone).
``QX_LOAD_HOSTS`` (several base URLs separated by spaces) gives each new user the next one in
turn: a round robin over several web instances, as the reverse proxy does.
"""

from __future__ import annotations

import itertools
import os

from locust import HttpUser, constant, constant_throughput, task

PAGES = [
    p
    for p in os.environ.get("QX_LOAD_PAGES", "/dashboard/ /enterprises/ /projects/pipeline/ /tiers/").split()
]
with open(os.environ["QX_LOAD_SESSIONS"], encoding="utf-8") as handle:
    SESSIONS = itertools.cycle([line.strip() for line in handle if line.strip()])
MODE = os.environ.get("QX_LOAD_MODE", "paced")
HOSTS = itertools.cycle(os.environ.get("QX_LOAD_HOSTS", "").split() or [None])
# Each new user starts on the next page, so the pages are read about equally often.
OFFSETS = itertools.count()


class Reader(HttpUser):
    wait_time = constant_throughput(0.2) if MODE == "paced" else constant(0)

    def on_start(self):
        host = next(HOSTS)
        if host:
            self.client.base_url = host
        self.client.cookies.set("sessionid", next(SESSIONS))
        start = next(OFFSETS) % len(PAGES)
        self.pages = itertools.cycle(PAGES[start:] + PAGES[:start])

    @task
    def read(self):
        page = next(self.pages)
        with self.client.get(page, name=page, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
