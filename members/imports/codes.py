"""Cells of coded lists (members.Code) resolved for a whole file: every code is read once, then each cell is a
dictionary look-up by its code or its folded name, so a 100,000-row members file costs no query per row."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from members.models import Code, CodeList
from party_portal.text import fold

UNKNOWN_CODE = _("“%(value)s” is neither a code nor a name in the list “%(list)s”.")
INACTIVE_CODE = _("“%(value)s” (code %(code)s) is no longer in use in the list “%(list)s”.")
OTHER_LIST = _("“%(value)s” belongs to the list “%(other)s”, not to the list “%(list)s”.")


def list_of(model, field_name):
    """The coded list a foreign key to Code draws from (its limit_choices_to)."""
    return model._meta.get_field(field_name).remote_field.limit_choices_to["list"]


class CodeIndex:
    def __init__(self):
        self._keys = defaultdict(dict)  # list -> folded code or name -> (id, code, active)
        self._names = {}
        codes = list(Code.objects.values_list("pk", "list", "code", "name", "active"))
        # Codes first, then names: a cell that is some entry's code means that entry, whatever other names say;
        # an active entry wins a name it shares with a deactivated one.
        for pk, code_list, code, _name, active in codes:
            self._keys[code_list][fold(code)] = (pk, code, active)
        for pk, code_list, code, name, active in codes:
            keys = self._keys[code_list]
            if fold(name) not in keys or (active and not keys[fold(name)][2]):
                keys[fold(name)] = (pk, code, active)
            self._names[pk] = name
        self._answers = {}

    def name(self, pk):
        return self._names.get(pk, "")

    def resolve(self, code_list, value):
        """(code id, None) for a cell naming an active entry of `code_list`, else (None, the refusal)."""
        key = (code_list, value)
        if key not in self._answers:
            self._answers[key] = self._resolve(code_list, value)
        return self._answers[key]

    def _resolve(self, code_list, value):
        folded = fold(str(value))
        # A code of digits typed into a number cell loses its leading zero ("2" for the ethnicity code "02").
        candidates = (folded, folded.zfill(2)) if folded.isdigit() else (folded,)
        label = CodeList(code_list).label
        for candidate in candidates:
            found = self._keys[code_list].get(candidate)
            if found is not None:
                pk, code, active = found
                if not active:
                    return None, INACTIVE_CODE % {"value": value, "code": code, "list": label}
                return pk, None
        for other in CodeList:
            if other != code_list and folded in self._keys[other]:
                return None, OTHER_LIST % {"value": value, "other": other.label, "list": label}
        return None, UNKNOWN_CODE % {"value": value, "list": label}
