"""The per-mu class as a condition the rules and policy clauses read (差别化电价、用地等措施)."""

import datetime as dt

import pytest
from django.utils import timezone

from qiangxian.land.services import evaluation
from qiangxian.rules.engine import compile_expression
from qiangxian.statistics.snapshot import build_snapshot
from qiangxian.tiers import tiers

pytestmark = pytest.mark.django_db


def _frozen_run(users):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    run = evaluation.run_publish(actor=users["office"], run=run, start=dt.date(2026, 1, 5))
    return evaluation.run_finalize(actor=users["office"], run=run, today=dt.date(2026, 2, 1))


def test_the_frozen_class_is_a_designation_policies_can_ask_for(users, graded_county):
    firms = graded_county
    shoe, machine, food = firms["甲镇园区鞋业有限公司"], firms["乙镇机械有限公司"], firms["甲镇食品有限公司"]
    catalogue = tiers.catalogue()
    top = compile_expression('持有("亩均效益评价A类") 或 持有("亩均效益评价B类")', catalogue, expect="bool")
    levy = compile_expression('持有("亩均效益评价D类")', catalogue, expect="bool")
    today = timezone.localdate()
    # Before any year is frozen the class is unknown, not "no".
    before = build_snapshot(as_of=today)
    assert before.designation_at("亩均效益评价A类", before.row_of(shoe.pk)) is None
    assert levy.evaluate_row(before, before.row_of(food.pk))[0] is None
    _frozen_run(users)  # the hand-computed year: 鞋业 A, 机械 C, 食品 D
    snap = build_snapshot(as_of=today)
    rows = {f: snap.row_of(f.pk) for f in (shoe, machine, food, firms["甲镇纺织有限公司"])}
    held = top.evaluate(snap)
    assert [bool(held.val[rows[f]]) for f in (shoe, machine, food)] == [True, False, False]
    assert bool(held.known[rows[food]])
    assert [levy.evaluate_row(snap, rows[f])[0] for f in (shoe, machine, food)] == [False, False, True]
    # An enterprise the frozen year did not grade is known to hold no class.
    assert snap.designation_at("亩均效益评价D类", rows[firms["甲镇纺织有限公司"]]) is False


def test_a_run_still_in_notice_does_not_set_the_class(users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    evaluation.run_publish(actor=users["office"], run=run, start=dt.date(2026, 1, 5))
    snap = build_snapshot(as_of=timezone.localdate())
    shoe = graded_county["甲镇园区鞋业有限公司"]
    assert snap.designation_at("亩均效益评价A类", snap.row_of(shoe.pk)) is None
