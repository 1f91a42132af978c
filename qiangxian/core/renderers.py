"""The form renderer: Django's templates, with the common widgets written out directly.

Every list page renders its filter form on every request, and Django renders a ``<select>`` by
including one template per option: a registry filter with a hundred options cost a third of the
page. The plain inputs, the text area and the select are written here exactly as Django's own
widget templates write them (the test compares the two outputs byte for byte); anything else
(radio buttons, checkboxes lists, file inputs, labels that are not text) goes through the templates.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "color",
        "hidden",
        "checkbox",
    )
)
SELECT_TEMPLATE = f"{_WIDGETS}select.html"
OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{_WIDGETS}textarea.html"


class _Slow(Exception):
    """A value the templates would show differently (localised numbers, dates): use them."""


def _format(value) -> str:
    """``{{ value|stringformat:'s' }}``: the text form, escaped unless already safe."""
    try:
        text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    except (TypeError, ValueError):  # pragma: no cover - the filter's own fallback
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _text(value) -> str:
    """``{{ value }}`` for text only; anything the templates would localise is left to them."""
    if not isinstance(value, str | Promise):
        raise _Slow
    return conditional_escape(value)


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_format(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_format(value)}"' if value is not None else ""
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                raise _Slow
            value, label = _format(option["value"]), _text(option["label"])
            # The option template's file ends with a newline, which its include keeps.
            out.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    body = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


FAST = {SELECT_TEMPLATE: _select, TEXTAREA_TEMPLATE: _textarea, **dict.fromkeys(INPUT_TEMPLATES, _input)}


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with inputs, selects and text areas written without templates."""

    def render(self, template_name, context, request=None):
        write = FAST.get(template_name)
        if write is not None and "widget" in context:
            try:
                return write(context["widget"]).strip()
            except _Slow:
                pass
        return super().render(template_name, context, request=request)
