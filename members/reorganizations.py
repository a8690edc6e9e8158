"""The members' side of a reorganization (organizations.reorganizations.MemberSide): who is on an organization's
rolls, and moving them to a successor as within-province transfers, the way member_transfer records a move."""

from django.db.models import Q

from organizations.reorganization_plan import MemberSide

from .models import CommitteeSeat, Member, Membership, MovementEvent, MovementKind, TransferScope
from .services import rebuild_memberships


def _on_rolls(on):
    return Membership.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


class Members(MemberSide):
    def on_rolls(self, organization_ids, on):
        rows = (
            _on_rolls(on)
            .filter(organization_id__in=organization_ids)
            .order_by("member__record_number")
            .values_list("organization_id", "member_id", "member__record_number")
        )
        result = {}
        for organization_id, member_id, record_number in rows:
            result.setdefault(organization_id, []).append((member_id, record_number))
        return result

    def count_in_subtree(self, path, on):
        from organizations.models import Placement

        units = Placement.objects.on(on).filter(path__startswith=path).values("organization_id")
        return _on_rolls(on).filter(organization_id__in=units).count()

    def events_after(self, organization_ids, on):
        return set(
            MovementEvent.objects.filter(organization_id__in=organization_ids, date__gte=on).values_list(
                "organization_id", flat=True
            )
        )

    def transfer(self, *, actor, member_ids, from_organization, to_organization, on, note):
        for member in Member.objects.select_for_update().filter(pk__in=member_ids).order_by("pk"):
            for kind, organization in (
                (MovementKind.TRANSFER_OUT, from_organization),
                (MovementKind.TRANSFER_IN, to_organization),
            ):
                event = MovementEvent(
                    member=member,
                    kind=kind,
                    date=on,
                    organization=organization,
                    transfer_scope=TransferScope.WITHIN_PROVINCE,
                    note=note,
                )
                event._history_user = actor
                event.save()
            rebuild_memberships(member)

    def end_seats(self, *, actor, organization, last_day):
        open_seats = CommitteeSeat.objects.filter(organization=organization).filter(
            Q(end__isnull=True) | Q(end__gt=last_day)
        )
        for seat in open_seats.filter(start__lte=last_day):
            seat.end = last_day
            seat._history_user = actor
            seat.save(update_fields=["end"])
