"""Text helpers shared by every app."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def fold(text):
    """Lower-case `text` and strip Vietnamese diacritics, so "nguyen van a" finds "Nguyễn Văn A"."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


# Characters a name never holds and that change how it reads or sorts without showing: C0 and C1 controls,
# zero-width characters and the marks that reorder text (U+200B–U+200F, bidirectional embeddings, overrides and
# isolates, the byte-order mark). A "Nguyễn\u202eA" would otherwise display reversed in every list and workbook.
FORBIDDEN_CHARACTERS = frozenset(
    (*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
) | {0xFEFF}
# The same characters as one pattern: a clean name (nearly all of them) is passed over in one search.
FORBIDDEN_PATTERN = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(FORBIDDEN_CHARACTERS)) + "]")
FORBIDDEN_CHARACTER = _(
    "%(field)s contains a control or invisible character (%(char)s) at position %(position)s: "
    "retype it without that character."
)


def clean_text(value, *, field=None, label=None):
    """`value` in Unicode NFC (the composed form Vietnamese keyboards type), or a ValidationError naming the
    first forbidden character, keyed by `field` when given. `label` is the field as people call it.

    Every door into a name goes through here: the model's NameField (forms, admin, services' full_clean), the
    services that write names without a full_clean, and the Excel imports' bulk writes."""
    if not isinstance(value, str):
        return value
    if FORBIDDEN_PATTERN.search(value) is None:
        return unicodedata.normalize("NFC", value)
    for position, char in enumerate(value, start=1):
        if ord(char) in FORBIDDEN_CHARACTERS:
            error = ValidationError(
                FORBIDDEN_CHARACTER,
                code="forbidden_character",
                params={
                    "field": capfirst(label or field or _("This text")),
                    "char": f"U+{ord(char):04X}",
                    "position": position,
                },
            )
            raise ValidationError({field: error}) if field else error
    return unicodedata.normalize("NFC", value)


class TextValidator:
    """A model field's validator calling clean_text with the field's name as people call it."""

    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        clean_text(value, label=self.label)

    def __eq__(self, other):
        return isinstance(other, TextValidator) and self.label == other.label


class NameField(models.CharField):
    """A name (of an organization, a member, …): stored in NFC whichever way it is written — full_clean, save,
    bulk_create or update — and refused by full_clean (so by ModelForms and the admin) when it holds a control
    or invisible character."""

    @cached_property
    def validators(self):
        return [*super().validators, TextValidator(self.verbose_name)]

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
