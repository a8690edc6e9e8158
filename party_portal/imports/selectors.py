"""Reads of the import pages: the user's own jobs, and the template workbooks."""

from django.http import Http404

from evaluations.models import ImportJob

RECENT_JOBS = 10


def import_job_list(*, actor):
    """The actor's latest uploads."""
    return ImportJob.objects.filter(created_by=actor).select_related("organization", "year")[:RECENT_JOBS]


def import_job_get(*, actor, job_id):
    """One of the actor's own uploads; 404 for anyone else's (an upload may hold another subtree's data)."""
    job = ImportJob.objects.select_related("organization", "year").filter(pk=job_id, created_by=actor).first()
    if job is None:
        raise Http404
    return job


def template(*, actor, kind, scope=None):
    """The kind's template workbook (for the scope its form asked, when it needs one), and its file name."""
    return kind.template(actor=actor, **(scope or {}))
