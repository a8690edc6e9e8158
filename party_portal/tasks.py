"""Celery discovers tasks in <app>.tasks; the import job's task lives with the rest of the import machinery."""

from .imports.tasks import import_job_task

__all__ = ["import_job_task"]
