"""Background tasks of the pipeline (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def recompute_lights(year: int | None = None, month: int | None = None) -> int:
    """The monthly light evaluation, for a scheduler to enqueue after the month's figures are in."""
    if year is None or month is None:
        year, month = services.default_evaluation_month()
    return services.lights_recompute_month(actor=None, year=year, month=month)
