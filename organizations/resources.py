"""django-import-export resources for the organization tree, and the columns and widgets every import file shares.

A resource declares the columns of one Excel file: Vietnamese header, widget (how a cell becomes a value and
back), whether the column is required, an example value. The import pipeline (party_portal.imports) reads the
file, cleans each cell with these widgets and writes through the services or in bulk.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import resources, widgets
from import_export.fields import Field

from party_portal.text import fold

from .models import Organization, OrgKind, OrgType

NOT_A_DATE = _("“%(value)s” is not a date; write it as dd/mm/yyyy.")
NOT_IN_LIST = _("“%(value)s” is not one of the allowed values: %(choices)s.")
NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_A_COUNT = _("“%(value)s” is not a whole number from %(least)s to %(most)s.")
NOT_YES_NO = _("“%(value)s” is neither “Yes” nor “No”.")
REQUIRED = _("This column is required.")
YES = pgettext_lazy("import", "Yes")
NO = pgettext_lazy("import", "No")
TOO_LONG = _("At most %(max)s characters.")
# The first column of every file: a row whose serial number says "example" is the template's example row.
EXAMPLE_MARK = pgettext_lazy("import", "Example")


def _all_languages(text):
    """`text` (a lazy translation) in every UI language, so a file downloaded in English imports too."""
    seen = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            value = str(text)
        if value not in seen:
            seen.append(value)
    return seen


class TextWidget(widgets.CharWidget):
    """Text with spaces tidied; a number typed into the cell (a card number, a citizen ID) is read as its digits."""

    def clean(self, value, row=None, **kwargs):
        if type(value) is str:  # nearly every cell: a file has two million of them
            return " ".join(value.split())
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())


class DayWidget(widgets.DateWidget):
    """Dates as dd/mm/yyyy: a date cell, or text in dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd)."""

    # Day, month, year separated by / - or . (a midnight time after it is ignored), or the ISO yyyy-mm-dd.
    # A regular expression rather than strptime: 100,000-row files carry three dates a row, strptime costs 15 µs.
    # Excel counts days from 30/12/1899; a date cell saved as text or as a number reaches us as that count
    # ("32874.0" is 01/01/1990). Counts below 3000 (1908) are refused: they are years or typos, not dates.
    SERIAL = re.compile(r"^\d+(?:\.\d+)?$")
    SERIAL_EPOCH = date(1899, 12, 30)
    SERIAL_RANGE = (3000, 2958465)  # 18/03/1908 .. 31/12/9999
    DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+0?0:00(?::00)?)?$")
    YEAR_MONTH_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

    def __init__(self):
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, bool):
            raise ValueError(NOT_A_DATE % {"value": value})
        text = str(value).strip()
        if isinstance(value, int | float) or self.SERIAL.match(text):
            return self._from_serial(float(text), text)
        if match := self.DAY_MONTH_YEAR.match(text):
            day, month, year = map(int, match.groups())
        elif match := self.YEAR_MONTH_DAY.match(text):
            year, month, day = map(int, match.groups())
        else:
            raise ValueError(NOT_A_DATE % {"value": text})
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(NOT_A_DATE % {"value": text}) from None

    def _from_serial(self, number, text):
        low, high = self.SERIAL_RANGE
        if not low <= number <= high:
            raise ValueError(NOT_A_DATE % {"value": text})
        return self.SERIAL_EPOCH + timedelta(days=int(number))


class DecimalWidget(widgets.DecimalWidget):
    """A number with a decimal comma or point (Vietnamese files use the comma)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError(NOT_A_NUMBER % {"value": value})
        if isinstance(value, int | float):
            return Decimal(str(value))
        try:
            return Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(NOT_A_NUMBER % {"value": value}) from None


class YesNoWidget(widgets.BooleanWidget):
    """“Có” / “Không” (Yes / No); an empty cell is No."""

    _answers = None

    def answers(self):
        """{spelling: True or False}, built once and growing with each spelling met: a 100,000-row file has such a
        cell a row, and translating the two words into every language on each cell cost a tenth of the check."""
        if self._answers is None:
            self._answers = {fold(v): True for v in (*_all_languages(YES), "x", "1", "true")}
            self._answers |= {fold(v): False for v in (*_all_languages(NO), "0", "false")}
        return self._answers

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "" or value is False or value == 0:
            return False
        if value is True or value == 1:
            return True
        answers = self.answers()
        if value not in answers:
            folded = fold(str(value))
            if folded not in answers:
                raise ValueError(NOT_YES_NO % {"value": value})
            answers[value] = answers[folded]
        return answers[value]

    def render(self, value, obj=None, **kwargs):
        return str(YES) if value else str(NO)

    def labels(self):
        return [str(YES), str(NO)]


class YesNoUnknownWidget(YesNoWidget):
    """“Có” / “Không” (also x), and an empty cell for “not recorded” (None), which keeps what the portal has."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        return super().clean(value, row, **kwargs)


class CountWidget(widgets.Widget):
    """A whole number (meetings held, a quarter) from `least` to `most`; a number cell or its digits as text."""

    def __init__(self, least=0, most=32767):
        super().__init__()
        self.least = least
        self.most = most

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if (
            isinstance(value, bool)
            or not (text.isascii() and text.isdigit())
            or not self.least <= int(text) <= self.most
        ):
            raise ValueError(NOT_A_COUNT % {"value": value, "least": self.least, "most": self.most})
        return int(text)


class ChoiceWidget(widgets.Widget):
    """A coded column shown by its label (“Nam”, “Hoàn thành tốt nhiệm vụ”); the label in any UI language, the
    code itself (GOOD) or an abbreviation (HTTNV) all map back to the code."""

    def __init__(self, choices, aliases=None):
        super().__init__()
        self.choices = choices
        self.aliases = aliases or {}
        self._lookup = None

    def labels(self):
        return [str(label) for label in self.choices.labels]

    def lookup(self):
        if self._lookup is None:
            lookup = {}
            for member in self.choices:
                keys = [member.name, str(member.value), *_all_languages(member.label), *self.aliases.get(member, ())]
                for key in keys:
                    lookup.setdefault(fold(key), member.value)
            self._lookup = lookup
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        lookup = self.lookup()
        # The same few labels repeat on every row: remember each spelling met, so fold() runs once per spelling.
        if value not in lookup:
            folded = fold(str(value))
            if folded not in lookup:
                raise ValueError(NOT_IN_LIST % {"value": value, "choices": "; ".join(self.labels())})
            lookup[value] = lookup[folded]
        return lookup[value]

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return str(self.choices(value).label)


class Column(Field):
    """One column of an import file: a Field with the header, whether it is required, an example value and a
    width for the template."""

    def __init__(
        self,
        attribute,
        header,
        widget=None,
        *,
        required=False,
        in_header=None,
        example="",
        width=16,
        help_text="",
        max_length=None,
    ):
        super().__init__(attribute=attribute, column_name=header, widget=widget or TextWidget())
        self.header = header
        # `required`: every row needs a value; `in_header`: the file needs the column (a row may leave it empty).
        self.required = required
        self.in_header = required if in_header is None else in_header
        self.example = example
        self.width = width
        self.help_text = help_text
        # The model field's length: a longer cell is a row+column refusal, not a database error on the batch.
        self.max_length = max_length

    def headers(self):
        """Every spelling of the header that the import recognises (each UI language, and the field name)."""
        return [*_all_languages(self.header), *([self.attribute] if self.attribute else [])]

    @property
    def choices(self):
        """The drop-down values of a coded column (a widget with `labels`), else None."""
        labels = getattr(self.widget, "labels", None)
        return labels() if labels is not None else None

    @property
    def listing(self):
        """What the instructions list as the accepted values: the widget's `listing` (codes with their names) when
        it has one, else the drop-down values."""
        listing = getattr(self.widget, "listing", None)
        return listing() if listing is not None else self.choices


def field_length(model, name):
    return model._meta.get_field(name).max_length


def serial_column():
    return Column(
        None, pgettext_lazy("serial number column", "No."), widget=TextWidget(), example=EXAMPLE_MARK, width=8
    )


def import_columns(resource_class):
    """The resource's columns in file order."""
    return [field for field in resource_class().get_import_fields() if isinstance(field, Column)]


class OrganizationResource(resources.ModelResource):
    """The organizations file: one row per organization, matched on its code (the organization in force)."""

    serial = serial_column()
    code = Column(
        "code",
        _("Organization code"),
        required=True,
        example="DB0101",
        width=14,
        max_length=field_length(Organization, "code"),
    )
    name = Column(
        "name",
        _("Organization name"),
        required=True,
        example="Đảng bộ phường Bắc Sơn",
        width=40,
        max_length=field_length(Organization, "name"),
    )
    kind = Column(
        "kind",
        _("Kind of organization"),
        ChoiceWidget(OrgKind),
        required=True,
        example=OrgKind.GRASSROOTS_COMMITTEE.label,
        width=34,
    )
    org_type = Column(
        "org_type",
        _("Type (grassroots only)"),
        ChoiceWidget(OrgType),
        example=OrgType.WARD.label,
        width=30,
        help_text=_("Only for grassroots organizations (TCCSĐ); leave empty for the others."),
    )
    parent_code = Column(
        "parent_code",
        _("Parent organization code"),
        example="HU01",
        width=18,
        help_text=_("Empty only for the top of the tree (Provincial Organization Board)."),
        max_length=field_length(Organization, "code"),
    )
    valid_from = Column("valid_from", _("Founded on"), DayWidget(), required=True, example=date(2020, 1, 1), width=14)

    class Meta:
        model = Organization
        fields = ("serial", "code", "name", "kind", "org_type", "parent_code", "valid_from")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
