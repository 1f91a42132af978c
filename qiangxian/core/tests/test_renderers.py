"""The form renderer writes the common widgets exactly as Django's own templates do."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from qiangxian.core.renderers import FastWidgetRenderer


class Sample(forms.Form):
    name = forms.CharField(
        label="名称", max_length=20, widget=forms.TextInput(attrs={"placeholder": '甲"<乙>&'})
    )
    count = forms.IntegerField(label="数量", required=False)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    kind = forms.ChoiceField(
        label="类别", choices=[("", "全部"), ("a", "甲<类>"), ("b", "乙类")], required=False
    )
    grouped = forms.ChoiceField(
        label="分组",
        choices=[("", "全部"), ("东区", [("1", "一号"), ("2", "二号")]), ("西区", [("3", "三号")])],
        required=False,
    )
    many = forms.MultipleChoiceField(label="多选", choices=[("x", "X"), ("y", "Y")], required=False)
    yes = forms.NullBooleanField(label="是否", required=False)
    flag = forms.BooleanField(label="勾选", required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    safe = forms.CharField(label="安全", initial=mark_safe("<b>x</b>"), required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    # Widgets written through the templates: radio buttons and labels that are not text.
    radio = forms.ChoiceField(label="单选", choices=[("r", "R")], widget=forms.RadioSelect, required=False)
    year = forms.TypedChoiceField(
        label="年度", choices=[(2025, 2025), (2026, 2026)], coerce=int, required=False
    )
    when = forms.ChoiceField(label="时点", choices=[("d", dt.date(2026, 5, 1))], required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "name": '<script>"x"</script>',
            "count": "12",
            "day": "2026-05-01",
            "kind": "a",
            "grouped": "2",
            "many": ["x", "y"],
            "yes": "true",
            "flag": "on",
            "note": "第一行\n<第二行>",
            "secret": "s&t",
            "radio": "r",
            "year": "2026",
            "when": "d",
        },
        {"name": "", "count": "not a number", "kind": "zzz", "grouped": "3", "note": ""},
    ],
)
def test_every_widget_is_written_as_django_writes_it(data):
    fast = Sample(data, renderer=FastWidgetRenderer())
    slow = Sample(data, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        css = {"class": "form-control"}
        assert fast[name].as_widget(attrs=css) == slow[name].as_widget(attrs=css), name
    assert str(fast) == str(slow)


def test_only_the_other_widgets_go_through_the_templates(settings, monkeypatch):
    from django.forms.renderers import get_default_renderer

    loaded = []
    real = DjangoTemplates.get_template
    monkeypatch.setattr(
        DjangoTemplates, "get_template", lambda self, name: loaded.append(name) or real(self, name)
    )
    get_default_renderer.cache_clear()
    try:
        form = Sample()
        assert isinstance(form.renderer, FastWidgetRenderer)
        for name in Sample.base_fields:
            form[name].as_widget()
    finally:
        get_default_renderer.cache_clear()
    assert sorted(set(loaded)) == [
        "django/forms/widgets/radio.html",
        "django/forms/widgets/select.html",  # the year and the date labels
    ]
