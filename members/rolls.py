"""Derive the stints on the rolls from a member's movement events (pure functions, no database)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import DECREASE_KINDS, INCREASE_KINDS

ALREADY_ON_ROLLS = _("On %(date)s the member is already on the rolls; record a transfer out or a leaving first.")
NOT_ON_ROLLS = _("On %(date)s the member is not on the rolls, so they cannot leave them.")
WRONG_ORGANIZATION = _("On %(date)s the member belongs to another organization than the one given.")


@dataclass(frozen=True)
class Stint:
    organization_id: int
    start: date
    end: date | None


@dataclass(frozen=True)
class Event:
    kind: str
    date: date
    organization_id: int
    order: int = 0


def _increase_first(event):
    # On one day a transfer out from A comes before the transfer in to B.
    return (event.date, 0 if event.kind in DECREASE_KINDS else 1, event.order)


def stints_from_events(events):
    """Turn a member's events into stints; raise ValidationError if the sequence is impossible."""
    stints = []
    current = None
    for event in sorted(events, key=_increase_first):
        day = event.date.strftime("%d/%m/%Y")
        if event.kind in INCREASE_KINDS:
            if current is not None:
                raise ValidationError(ALREADY_ON_ROLLS, params={"date": day}, code="already_on_rolls")
            current = (event.organization_id, event.date)
        elif event.kind in DECREASE_KINDS:
            if current is None:
                raise ValidationError(NOT_ON_ROLLS, params={"date": day}, code="not_on_rolls")
            if current[0] != event.organization_id:
                raise ValidationError(WRONG_ORGANIZATION, params={"date": day}, code="wrong_organization")
            stints.append(Stint(current[0], current[1], event.date))
            current = None
    if current is not None:
        stints.append(Stint(current[0], current[1], None))
    return stints
