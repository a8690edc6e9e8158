"""The project's documents point only at files the project holds."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOC_PATH = re.compile(r"`?((?:\.\./|docs/)[\w./-]+\.md)")


def _documents():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_documents_name_no_file_outside_the_project():
    for document in _documents():
        text = document.read_text(encoding="utf-8")
        assert "../" not in text, document.name
        assert "DOMAIN.md" not in text, document.name


def test_every_document_the_readme_and_docs_name_exists():
    named = set()
    for document in _documents():
        named |= {match.group(1) for match in DOC_PATH.finditer(document.read_text(encoding="utf-8"))}
    assert "docs/counting-rules.md" in named
    for path in named:
        assert (ROOT / path).is_file(), path
