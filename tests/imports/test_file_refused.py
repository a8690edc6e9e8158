"""A file refused as a whole (empty, not an Excel workbook) is reported as a problem of the file: no "0 rows
rejected", no "correct the rows listed below" with nothing listed."""

import pytest
from django.urls import reverse

from evaluations.models import ImportState
from party_portal.celery import app

from .conftest import upload, workbook


@pytest.fixture
def checked_page(client, board_user, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    client.force_login(board_user)

    def check(content):
        with django_capture_on_commit_callbacks(execute=True):
            job = upload(client, "dang-vien", content)
        job.refresh_from_db()
        return job, client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="vi")

    return check


def _assert_file_problem(response, message):
    html = response.content.decode()
    assert response.context["file_refused"] is True
    assert message in html
    assert "Tệp bị từ chối" in html
    assert "0 dòng bị từ chối" not in html
    assert "có dòng bị từ chối" not in html
    assert "sửa các dòng liệt kê" not in html
    assert "import-tiles" not in html
    assert "không có dòng nào để sửa" in html


def test_an_empty_file_shows_the_file_problem(checked_page):
    job, response = checked_page(workbook("dang-vien", []))

    assert job.state == ImportState.REJECTED
    _assert_file_problem(response, "Tệp không có dòng dữ liệu nào.")


def test_an_unreadable_file_shows_the_file_problem(checked_page):
    job, response = checked_page(b"not a workbook at all" * 10)

    assert job.state == ImportState.FAILED
    _assert_file_problem(response, "Nội dung tệp không phải là một tệp Excel (.xlsx)")
    assert "kiểm tra lại ngay trước khi ghi" not in response.content.decode()


def test_a_file_with_rejected_rows_still_lists_them(checked_page):
    job, response = checked_page(workbook("dang-vien", [{"full_name": ""}]))

    assert job.state == ImportState.REJECTED
    assert response.context["file_refused"] is False
    assert response.context["rejected"] == 1
    assert "1 dòng bị từ chối" in response.content.decode()
