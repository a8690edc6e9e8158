"""Reads of the indicator definitions (the table), in their display order."""

from .models import IndicatorDefinition


def active_definitions(*, group=None):
    """The active definitions, ordered by group, order and code; of one group with `group`."""
    rows = IndicatorDefinition.objects.filter(active=True)
    if group is not None:
        rows = rows.filter(group=group)
    return list(rows)


def definition_by_code(code):
    """The definition with that code, or None."""
    return IndicatorDefinition.objects.filter(code=code).first()


def definitions_for(program):
    """The active definitions, read once per program object: a request reads them once however many figures
    it builds (the program object lives as long as the request)."""
    cached = getattr(program, "_active_definitions", None)
    if cached is None:
        cached = program._active_definitions = active_definitions()
    return cached
