import datetime as dt

import pytest

from qiangxian.supervision.models import Meeting, Task


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(title="工业强县领导小组会议", held_on=dt.date(2026, 2, 20))


@pytest.fixture
def make_task(county, meeting):
    """A task straight in the database: led by 统计局 unless told otherwise."""

    def make(**fields) -> Task:
        values = {
            "title": "梳理签约未开工项目",
            "lead_unit": county["units"]["统计局"],
            "meeting": meeting,
            "starts_on": dt.date(2026, 1, 1),
            "deadline": dt.date(2026, 12, 31),
        }
        supporting = fields.pop("supporting_units", [])
        values.update(fields)
        task = Task.objects.create(**values)
        task.supporting_units.set(supporting)
        return task

    return make
