"""The report's tables iterate over the definitions a run stored, of any unit: a count without a threshold (shown,
not judged) and a per-mille figure get their summary rows and sheets like the six targets, with no code naming them.
Built from a hand-made results dict: the tables never touch the database."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from reports import tables, workbook


def _figure(numerator, denominator, *, threshold=None, comparator="", status="met", margin=None):
    ratio = None if not denominator else str((Decimal(numerator) * 100 / denominator).quantize(Decimal("0.0001")))
    return {
        "indicator": "",
        "numerator": numerator,
        "denominator": denominator,
        "ratio": ratio,
        "status": status,
        "comparator": comparator,
        "threshold": threshold,
        "margin": margin,
        "judged": True,
        "provisional": False,
        "coverage": {"total": 0, "rated": denominator, "ratio": None, "not_rated": {}},
        "breakdown": {},
    }


def _definition(code, name, unit, denominator):
    return {
        "code": code,
        "name_vi": name,
        "name_en": "",
        "short_name_vi": "",
        "short_name_en": "",
        "numerator": "",
        "denominator": denominator,
        "unit": unit,
        "kind": "TRACKED",
        "group": "other",
        "mode": "EACH_YEAR",
        "deadline_year": None,
    }


def _results():
    # X1: 7 TCCSĐ in non-state enterprises, a count without a threshold. X2: 3 members struck off of 1,200
    # on the rolls = 2.5 ‰, judged "< 5 ‰": 5 ‰ of 1,200 is 6, so up to 5 pass and 2 more are tolerated.
    indicators = {
        "X1": _figure(7, 0),
        "X2": _figure(3, 1200, threshold="5", comparator="<", margin=2),
    }
    return {
        "program": "CT",
        "year": 2024,
        "as_of": "2024-12-31",
        "provisional": False,
        "scope": {
            "code": "P",
            "name": "Đảng bộ tỉnh Thử Nghiệm",
            "kind": "PROVINCE_COMMITTEE",
            "indicators": indicators,
        },
        "children": [],
        "by_type": [],
        "cells": {"total": 0, "levels": {}, "not_rated": {}},
        "program_rates": {},
        "definitions": [
            _definition("X1", "TCCSĐ trong doanh nghiệp ngoài nhà nước", "COUNT", ""),
            _definition("X2", "Đảng viên bị xóa tên", "PER_MILLE", "members_on_rolls"),
        ],
        "trend": [{"year": 2024, "in_tree": True, "indicators": indicators, "program_rates": {}}],
        "lists": {"not_completed": [], "not_approved": [], "warnings": []},
        "report": {
            "program_name": "Chương trình hành động",
            "program_years": [2020, 2025],
            "generated_at": "2025-01-10T09:00:00+07:00",
        },
    }


def test_tables_give_a_sheet_per_denominator_and_a_summary_row_per_definition():
    results = _results()

    sheets = tables.sheets(results)
    summary = sheets[0].blocks[0].rows

    # summary, X1 (the counts), X2 (over the members on the rolls), cells, by type, trend, three lists
    assert [sheet.key for sheet in sheets[:3]] == ["summary", "x1", "x2"]
    assert len(sheets) == 9
    assert [row[1].value for row in summary] == [
        "X1 – TCCSĐ trong doanh nghiệp ngoài nhà nước",
        "X2 – Đảng viên bị xóa tên",
    ]
    # X1: no target, no denominator, the count itself as the result, no verdict.
    assert [(cell.kind, cell.value) for cell in summary[0][2:8]] == [
        ("text", None),
        ("int", 7),
        ("int", None),
        ("int", 7),
        ("verdict", None),
        ("margin", None),
    ]
    # X2: 3 of 1,200 = 2.5 ‰ against "< 5 ‰", met with 2 to spare.
    assert [(cell.kind, cell.value) for cell in summary[1][2:8]] == [
        ("target", Decimal("5")),
        ("int", 3),
        ("int", 1200),
        ("per_mille", Decimal("2.5000")),
        ("verdict", "met"),
        ("margin", 2),
    ]


def test_workbook_writes_a_count_and_a_per_mille_figure_as_numbers_in_their_units():
    book = load_workbook(BytesIO(workbook.build(_results())))

    summary = book.worksheets[0]
    x1, x2 = (next(row for row in summary.iter_rows() if str(row[1].value).startswith(code)) for code in ("X1", "X2"))

    # Columns: 3 target, 4 numerator, 5 denominator, 6 result, 7 verdict.
    assert [(c.value, c.number_format) for c in (x1[2], x1[4], x1[5], x1[6])] == [
        (None, "General"),
        (None, "General"),
        (7, "#,##0"),
        (None, "General"),
    ]
    assert [(c.value, c.number_format) for c in (x2[2], x2[5], x2[6])] == [
        (5, '"< "0" ‰"'),
        (2.5, '0.00" ‰"'),
        ("Đạt", "General"),
    ]
    assert [ws.title for ws in book.worksheets[1:3]] == ["X1", "X2"]
