"""Excel import of every kind of record: templates, check (preview), confirm, import job, behind one registry.

The machinery (reading, upload bounds, the preview report, bulk writes, the job and its Celery task, the pages)
is here; the kinds live beside their models, in each app's `imports` module (docs/imports.md).
"""

from .registry import Kind, register

__all__ = ["Kind", "register"]
