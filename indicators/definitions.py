"""Reads of the indicator definitions (the table), in their display order."""

from django.shortcuts import get_object_or_404

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


def definition_list(*, group=None, active=None):
    """Every definition in display order, of one group with `group`, active or not unless `active` says (the
    catalogue: the province's, every role reads it)."""
    rows = IndicatorDefinition.objects.all()
    if group is not None:
        rows = rows.filter(group=group)
    if active is not None:
        rows = rows.filter(active=active)
    return list(rows)


def definition_get(*, definition_id):
    """One definition (the province's: every role may read it)."""
    return get_object_or_404(IndicatorDefinition, pk=definition_id)
