"""Locust users for benchmarks/load.py: logged-in readers of the four busiest pages.

Each simulated user takes one of the sessions prepared by load.py (``QX_LOAD_SESSIONS``, one
session key a line) and reads the dashboard, the registry list, the project board and the tier
pool in turn. ``QX_LOAD_MODE=paced`` spaces each user's requests to 0.2 per second, each user
starting at a random moment of its first 5 s (50 users: about 10 requests a second in all, spread
over time rather than in bursts of 50); ``peak`` sends the next request as soon as one returns.
``QX_LOAD_PAGES`` narrows the pages (e.g. ``/tiers/`` for the tier pool alone).
``QX_LOAD_HOSTS`` (several base URLs separated by spaces) gives each new user the next one in
turn: a round robin over several web instances, as the reverse proxy does.

The users are ``FastHttpUser`` (geventhttpclient): the load generator shares the cores with the
web instances and the database, and the plain ``HttpUser`` (requests) spends several times more
CPU per request, which the web instances would then lack.
"""

from __future__ import annotations

import itertools
import os
import random

import gevent
from locust import FastHttpUser, constant, constant_throughput, task

PAGES = [
    p
    for p in os.environ.get("QX_LOAD_PAGES", "/dashboard/ /enterprises/ /projects/pipeline/ /tiers/").split()
]
with open(os.environ["QX_LOAD_SESSIONS"], encoding="utf-8") as handle:
    SESSIONS = itertools.cycle([line.strip() for line in handle if line.strip()])
MODE = os.environ.get("QX_LOAD_MODE", "paced")
PACE = 0.2  # requests per second per paced user: 50 users, about 10 a second in all
HOSTS = itertools.cycle(os.environ.get("QX_LOAD_HOSTS", "").split() or [None])
# Each new user starts on the next page, so the pages are read about equally often.
OFFSETS = itertools.count()


class Reader(FastHttpUser):
    wait_time = constant_throughput(PACE) if MODE == "paced" else constant(0)

    def __init__(self, environment):
        # The client is made from ``host`` when the user is made: pick the instance first.
        self.host = next(HOSTS) or environment.host
        super().__init__(environment)

    def on_start(self):
        self.cookie = f"sessionid={next(SESSIONS)}"
        start = next(OFFSETS) % len(PAGES)
        self.pages = itertools.cycle(PAGES[start:] + PAGES[:start])
        if MODE == "paced":
            # Readers do not all click at the same instant: spread the first requests over one
            # pacing interval, or the 50 users stay in step and arrive as bursts of 50 every 5 s.
            gevent.sleep(random.uniform(0, 1 / PACE))

    @task
    def read(self):
        page = next(self.pages)
        with self.client.get(
            page, name=page, headers={"Cookie": self.cookie}, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
