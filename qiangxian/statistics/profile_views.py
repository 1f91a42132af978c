"""The import profile builder page: sample file, sheet and header row, columns in Chinese, preview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from . import profile_builder as pb
from . import selectors, services, sheets
from .forms import ProfileForm


def _layout_from_post(data, sample: pb.Sample | None) -> dict:
    sheet = data.get("sheet_name") or ""
    if sample is not None and sheet not in sample.sheet_names:
        sheet = sample.sheet_names[0] if sample.sheet_names else ""
    try:
        header_row = max(1, min(int(data.get("header_row") or 1), 50))
    except ValueError:
        header_row = 1
    return {
        "sheet_name": sheet,
        "header_row": header_row,
        "skip_total_rows": bool(data.get("skip_total_rows")),
        "skip_blank_key": bool(data.get("skip_blank_key")),
    }


def profile_edit(request, pk=None):
    """Create or change a profile from a sample of the file; nothing is saved before 保存方案."""
    profile = selectors.access_profile_by_id(request.user, pk) if pk else None
    if not request.user.can_manage:
        raise PermissionDenied("只有领导小组办公室和系统管理员可以执行此操作。")
    errors: list[str] = []
    sample = preview = None
    token = ""
    if request.method != "POST":
        initial = {"skip_total_rows": True, "skip_blank_key": True}
        layout = {"sheet_name": "", "header_row": 1, "skip_total_rows": True, "skip_blank_key": True}
        rows: list[pb.ColumnRow] = []
        if profile is not None:
            initial = {f: getattr(profile, f) for f in ("name", "source", "kind", "match_by", "note")}
            layout = {f: getattr(profile, f) for f in layout}
            rows = pb.columns_from_profile(profile)
        form = ProfileForm(initial=initial)
    else:
        form = ProfileForm(request.POST, request.FILES)
        form.is_valid()
        data = form.cleaned_data
        action = request.POST.get("action", "")
        token = request.POST.get("sample_token", "")
        fresh = False
        if request.FILES.get("sample"):
            try:
                token = pb.store_sample(request.FILES["sample"])
                fresh = True
            except sheets.FileUnreadable as error:
                form.add_error("sample", str(error))
                token = ""
        rows = pb.columns_from_post(request.POST)
        layout = _layout_from_post(request.POST, None)
        path = pb.sample_path(token)
        if path is not None:
            try:
                sample = pb.read_sample(path, layout["sheet_name"])
                layout = _layout_from_post(request.POST, sample)
                if fresh:
                    sample = pb.read_sample(path, layout["sheet_name"])
                    layout["header_row"] = sheets.guess_header_row(sample.rows)
                    layout["skip_total_rows"] = layout["skip_blank_key"] = True
                if fresh or action == "read" or not rows:
                    rows = pb.guess_columns(sample.rows, layout["header_row"], data.get("kind") or "monthly")
                preview = pb.preview(
                    path,
                    layout["sheet_name"],
                    layout["header_row"],
                    rows,
                    data.get("kind") or "monthly",
                    layout["skip_total_rows"],
                    layout["skip_blank_key"],
                )
            except sheets.FileUnreadable as error:
                form.add_error("sample", str(error))
        if action == "save" and not form.errors:
            fields = pb.to_profile_fields(rows)
            try:
                profile = services.profile_save(
                    actor=request.user,
                    profile=profile,
                    name=data["name"],
                    source=data["source"],
                    kind=data["kind"],
                    match_by=data["match_by"],
                    note=data["note"],
                    **fields,
                    **layout,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, f"已保存导入方案“{profile.name}”。")
                return redirect("statistics:profiles")
    source = form["source"].value() or "stats"
    kind = form["kind"].value() or "monthly"
    pb.annotate(rows, source, kind)
    return render(
        request,
        "statistics/profile_builder.html",
        {
            "title": "编辑导入方案" if profile else "新建导入方案",
            "form": form,
            "profile": profile,
            "rows": rows,
            "layout": layout,
            "sample": sample,
            "sample_token": token if sample else "",
            "preview": preview,
            "errors": errors,
            "role_choices": pb.role_choices(kind),
            "unit_choices": pb.unit_choices(),
            "year_choices": pb.YEAR_CHOICES,
            "basis_choices": pb.BASIS_CHOICES,
            "header_rows": range(1, max(len(sample.rows) if sample else 0, layout["header_row"]) + 1),
            "source_label": pb.source_label(source),
            "breadcrumbs": [
                ("运行监测", reverse("statistics:overview")),
                ("导入方案", reverse("statistics:profiles")),
            ],
        },
    )
