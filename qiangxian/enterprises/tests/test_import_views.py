"""The registry import pages: a bad file answered in Chinese, the size limit, a saved profile reused,
a review that belongs to its uploader, the undo job shown on the batch page."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.enterprises.models import Enterprise, ImportBatch, RegistryImportProfile

from . import county_files as cf


def _upload(client, content, name="名录.xlsx", **extra):
    return client.post(
        "/enterprises/imports/", {"file": SimpleUploadedFile(name, content), **extra}, follow=True
    )


def test_corrupt_file_is_answered_in_chinese_and_leaves_no_batch(client_as, county):
    client = client_as("office")
    response = _upload(client, b"just text, renamed")
    body = response.content.decode()
    assert response.status_code == 200 and "文件不是有效的 .xlsx 文件" in body
    review = response.redirect_chain[-1][0]
    assert client.post(review, {"action": "apply"}).status_code == 302
    assert not ImportBatch.objects.exists()


def test_upload_over_the_limit_is_refused_on_the_form(client_as, county, settings):
    settings.QX_IMPORT_MAX_BYTES = 1024
    response = _upload(client_as("office"), b"x" * 5000, name="名录.csv")
    assert "文件过大" in response.content.decode() and not response.redirect_chain


def test_saved_profile_is_used_at_the_next_upload(client_as, county, users):
    rows = cf.table()
    rows[2][1] = "企业单位"  # the county's own word for the name column
    content = "\n".join(",".join(str(v) for v in r) for r in rows).encode("gb18030")
    profile = RegistryImportProfile.objects.create(
        name="本县格式", mapping={"企业单位": "name", "联系人": ""}, created_by=users["office"]
    )
    client = client_as("office")
    response = _upload(client, content, name="名录.csv", profile=profile.pk, scale_month="2026-05")
    plan = response.context["plan"]
    assert plan.ok and not plan.unknown_columns and plan.entering == 2
    data = {f"map_{c.index}": c.field or "-" for c in plan.columns}
    client.post(response.redirect_chain[-1][0], {**data, "scale_month": "2026-05", "action": "apply"})
    assert Enterprise.objects.get(uscc=cf.NEW_1).above_scale


def test_a_review_is_only_open_to_its_uploader(client_as, county, users):
    response = _upload(client_as("office"), cf.as_xlsx())
    review = response.redirect_chain[-1][0]
    assert client_as("admin").get(review).status_code == 404  # another manager's session


def test_batch_page_shows_the_undo_job(
    client_as, county, users, settings, django_capture_on_commit_callbacks
):
    settings.QX_REGISTRY_UNDO_BACKGROUND_ROWS = 1
    from qiangxian.enterprises import importers

    batch = importers.import_registry(
        actor=users["office"], content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=dt.date(2026, 5, 1)
    ).batch
    client = client_as("office")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/enterprises/imports/{batch.pk}/undo/", follow=True)
    body = response.content.decode()
    assert "正在后台撤销" in body and 'data-testid="job-progress"' in body and "撤销中" in body
