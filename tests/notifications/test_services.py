"""notifications.services.notify: once per event and recipient, opt-outs, e-mail only for new rows after commit."""

import contextlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from notifications import selectors, services
from notifications.models import Delivery, Kind, Notification, OptOut
from tests.factories import UserFactory


@pytest.fixture
def people(db):
    return [
        UserFactory(username="an", email="an@example.vn"),
        UserFactory(username="binh", email="binh@example.vn"),
        UserFactory(username="chi", email=""),
    ]


def _send(recipients, key="review-overdue:1:2025", kind=Kind.OVERDUE):
    return services.notify(recipients=recipients, kind=kind, event_key=key, title="Quá hạn", body="Nội dung", link="/")


def test_notify_twice_creates_and_emails_each_recipient_once(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(people)
    with django_capture_on_commit_callbacks(execute=True):
        second = _send(people)

    assert (first, second) == (3, 0)
    assert Notification.objects.count() == 3
    # "chi" has no e-mail address: a notification, no mail.
    assert sorted(message.to[0] for message in mail.outbox) == ["an@example.vn", "binh@example.vn"]


def test_notify_adds_only_the_missing_recipients_and_mails_only_them(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(people[:1])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        created = _send(people[:2])

    assert created == 1
    assert [message.to for message in mail.outbox] == [["binh@example.vn"]]


def test_another_event_is_another_notification(people):
    _send(people[:1])

    created = _send(people[:1], key="review-overdue:1:2024")

    assert created == 1
    assert Notification.objects.filter(recipient=people[0]).count() == 2


def test_nothing_is_mailed_when_the_transaction_rolls_back(people, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        _send(people)
        raise RuntimeError

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_the_mail_links_to_the_portal_address(people, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://portal.example.vn"

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=people[:1], kind=Kind.URGE, event_key="u", title="Đôn đốc", body="Nội dung", link="/thong-bao/"
        )

    assert mail.outbox[0].subject == "Đôn đốc"
    assert mail.outbox[0].body.startswith("Nội dung\nhttps://portal.example.vn/thong-bao/\n")


def test_a_failing_mail_server_leaves_the_notification_unstamped(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(services, "send_mail", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        created = _send(people[:1])

    assert created == 1
    assert Notification.objects.get().emailed_at is None


def test_opt_outs_off_and_no_email(people, django_capture_on_commit_callbacks):
    an, binh, _chi = people
    OptOut.objects.create(user=an, kind=Kind.OVERDUE, delivery=Delivery.OFF)
    OptOut.objects.create(user=binh, kind=Kind.OVERDUE, delivery=Delivery.NO_EMAIL)
    # Another kind turned off changes nothing for this one.
    OptOut.objects.create(user=binh, kind=Kind.URGE, delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        created = _send([an, binh])

    assert created == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["binh"]
    assert mail.outbox == []


def test_an_inactive_user_gets_nothing(people):
    people[0].is_active = False

    assert _send(people[:1]) == 0


def test_an_unknown_kind_is_refused(people):
    with pytest.raises(ValidationError):
        _send(people, kind="SPAM")

    assert Notification.objects.count() == 0


def test_mark_read_touches_only_the_actors_own_notification(people):
    _send(people[:2])
    theirs = Notification.objects.get(recipient=people[1])

    marked = services.notification_mark_read(actor=people[0], notification_id=theirs.pk)

    assert marked == 0
    assert selectors.unread_count(actor=people[1]) == 1
    assert selectors.unread_count(actor=people[0]) == 1


def test_opt_outs_save_keeps_a_row_only_for_a_kind_received_in_part(people):
    an = people[0]
    OptOut.objects.create(user=an, kind=Kind.URGE, delivery=Delivery.OFF)

    services.opt_outs_save(actor=an, choices={Kind.URGE: "", Kind.OVERDUE: Delivery.NO_EMAIL})

    assert list(OptOut.objects.filter(user=an).values_list("kind", "delivery")) == [(Kind.OVERDUE, Delivery.NO_EMAIL)]


def test_opt_outs_save_refuses_an_unknown_choice_and_saves_nothing(people):
    with pytest.raises(ValidationError):
        services.opt_outs_save(actor=people[0], choices={Kind.URGE: Delivery.OFF, Kind.OVERDUE: "LOUD"})

    assert OptOut.objects.count() == 0
