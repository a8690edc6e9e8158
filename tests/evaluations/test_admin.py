"""The ratings admin: read-only pages, including the history page of every model it lists."""

from datetime import date

from django.urls import reverse

from evaluations import services
from evaluations.models import RatingYear
from tests.factories import make_member


def test_history_page_of_a_reopening_lists_its_admin_log(client, tree, root_user):
    member = make_member(tree["C1"], full_name="Đảng viên Mở Lại", admission_date=date(2019, 3, 2))
    year = RatingYear.objects.get(year=2024)
    submission = services.member_ratings_save(
        actor=root_user, organization=tree["G1"], year=year, entries=[{"member_id": member.pk, "level": "GOOD"}]
    )
    submission = services.submission_approve(
        actor=root_user, submission=services.submission_submit(actor=root_user, submission=submission)
    )
    services.submission_reopen(actor=root_user, submission=submission, reason="Sửa xếp loại")
    reopening = submission.reopenings.get()
    client.force_login(root_user)

    response = client.get(reverse("admin:evaluations_reopening_history", args=[reopening.pk]))

    assert response.status_code == 200
    assert len(response.context["action_list"]) == 0  # written by the service, never changed in the admin
