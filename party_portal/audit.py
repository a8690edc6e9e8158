"""Audit trail base: simple-history's who / when / what, plus the door the change came through."""

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from party_portal.doors import DOORS, OTHER, current_door


class AuditedModel(models.Model):
    history_door = models.CharField(max_length=16, choices=[(d, d) for d in DOORS], default=OTHER)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _stamp_door(sender, history_instance, **kwargs):
    history_instance.history_door = current_door()
