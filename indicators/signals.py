"""What the indicators tell other apps, which they must not import (reports imports indicators, not the reverse)."""

from django.dispatch import Signal

# Sent by the refresh job once a year's snapshots are published and the dashboards warmed; keyword: year.
snapshots_refreshed = Signal()
