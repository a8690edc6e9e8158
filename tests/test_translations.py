"""Every translatable string is one `makemessages` sees: gettext functions are imported under their own names
or as `_`, never under an alias xgettext does not know (a string behind such an alias stays English)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
IMPORT = re.compile(r"from django\.utils\.translation import ([^\n]+)")
ALIAS = re.compile(r"(\w+) as (\w+)")


def test_gettext_is_imported_under_names_makemessages_knows():
    found = []
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", "node_modules", "staticfiles"} for part in path.parts):
            continue
        for names in IMPORT.findall(path.read_text(encoding="utf-8")):
            for original, alias in ALIAS.findall(names):
                if alias != "_":
                    found.append(f"{path.relative_to(ROOT)}: {original} as {alias}")
    assert found == []


def _msgstrs():
    text = (ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [entry for entry in text.split("\n\n") if not entry.startswith("#~")]
    return ["".join(re.findall(r'"(.*)"', entry.split("msgstr", 1)[1])) for entry in entries if "msgstr" in entry]


def test_the_vietnamese_catalogue_speaks_plain_words():
    # "Tử số / Mẫu số" (numerator / denominator) and "Biên" (margin) are jargon a cadre does not use.
    msgstrs = _msgstrs()
    assert len(msgstrs) > 1000
    assert [s for s in msgstrs if "Tử số" in s or "Mẫu số" in s or "mẫu số" in s] == []
    assert [s for s in msgstrs if re.search(r"\bBiên\b", s)] == []
