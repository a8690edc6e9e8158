"""Reads of the indicator definitions (the table), in their display order."""

from .models import IndicatorDefinition

PROGRAM_GROUP = "program"  # the group of the program's targets, shown before every other group


def display_order(definition):
    """The program's targets first, then the other groups by name; within a group by order and code."""
    return definition.group != PROGRAM_GROUP, definition.group, definition.order, definition.code


def active_definitions(*, group=None):
    """The active definitions in display order (see display_order); of one group with `group`."""
    rows = IndicatorDefinition.objects.filter(active=True)
    if group is not None:
        rows = rows.filter(group=group)
    return sorted(rows, key=display_order)


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
