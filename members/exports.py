"""The member list as an Excel file: the same members and filters as the page, every page of it, as a Party
document (party_portal.excel_lists, written row by row so a province's list costs little memory)."""

from django.utils.translation import gettext as _

from party_portal.excel_lists import DATE, TEXT, Column, ListSheet, every_row, list_workbook, unit_letterhead

from .models import Gender, TheoryLevel, official_day

# What a row of the list shows, read as plain values: a province's list is some 250,000 rows, and a model instance
# of the stint, its member and its organization per row cost more than the query.
ROW_FIELDS = (
    "member__full_name",
    "member__gender",
    "member__date_of_birth",
    "organization__name",
    "organization__code",
    "member__admission_date",
    "theory_level",
)


def _rows(stints, on):
    genders = {value: str(label) for value, label in Gender.choices}
    levels = {value: str(label) for value, label in TheoryLevel.choices}
    official, probationary = _("official"), _("probationary")
    for name, gender, born, unit, code, admitted, level in every_row(stints.values_list(*ROW_FIELDS)):
        yield [
            name,
            genders.get(gender, gender),
            born,
            unit,
            code,
            admitted,
            official if on >= official_day(admitted) else probationary,
            levels[level or TheoryLevel.NONE],
        ]


def filters_text(form):
    """The page's filters in words, for the workbook's subtitle: 'Giới tính: Nữ; Lý luận chính trị: Cao cấp'."""
    parts = []
    for name in ("q", "to_chuc", "gioi_tinh", "ly_luan"):
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        if name == "to_chuc" and form.chosen_organization() is not None:
            shown = form.chosen_organization()
        parts.append(f"{field.label}: {str(shown).strip()}")
    return "; ".join(parts)


def member_list_workbook(*, organization, stints, on, filters_text=""):
    """The workbook's bytes: one sheet of the members in `stints` (members.selectors.member_list) on `on`."""
    columns = [
        Column(_("Full name"), TEXT, 24),
        Column(_("Gender"), TEXT, 7),
        Column(_("Date of birth"), DATE, 11),
        Column(_("Organization"), TEXT, 30),
        Column(_("Code"), TEXT, 10),
        Column(_("Admission date"), DATE, 11),
        Column(_("Status"), TEXT, 11),
        Column(_("Political theory"), TEXT, 13),
    ]
    date_text = on.strftime("%d/%m/%Y")
    subtitle = _("Members on the rolls on %(date)s in %(scope)s") % {"date": date_text, "scope": organization.name}
    if filters_text:
        subtitle = f"{subtitle} · {filters_text}"
    sheet = ListSheet(
        _("Party members"),
        _("LIST OF PARTY MEMBERS"),
        columns,
        _rows(stints, on),
        subtitle,
        empty_text=_("No member matches these filters on this date."),
    )
    return list_workbook(head=unit_letterhead(organization), sheets=[sheet], title=_("List of party members"))
