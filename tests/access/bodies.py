"""The text a response shows, whatever its format, and the foreign texts found in it."""

import html
import json
import unicodedata
import zipfile
from io import BytesIO
from xml.sax.saxutils import unescape

# The parts of an xlsx that hold what a reader sees: the sheets, their shared strings, comments and names.
XLSX_PARTS = ("xl/worksheets/", "xl/sharedStrings", "xl/comments", "xl/workbook.xml", "docProps/")
# The same of a docx (a Word document): its body, headers, footers, notes and properties.
DOCX_PARTS = ("word/",)


def _content(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_text(content):
    with zipfile.ZipFile(BytesIO(content)) as book:
        # XML parts only: a docx may carry a thumbnail image under docProps/.
        parts = [n for n in book.namelist() if n.startswith(XLSX_PARTS + DOCX_PARTS) and n.endswith(".xml")]
        return "\n".join(unescape(book.read(name).decode("utf-8"), {"&quot;": '"', "&apos;": "'"}) for name in parts)


def _json_text(text):
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return json.dumps(data, ensure_ascii=False)


def response_text(response):
    """Everything a reader of the response can see, unescaped and NFC (a name may be escaped or zipped)."""
    content = _content(response)
    if content[:2] == b"PK":
        text = _xlsx_text(content)
    else:
        text = content.decode(response.charset or "utf-8", errors="replace")
        if "json" in response.get("Content-Type", ""):
            text = _json_text(text)
        text = html.unescape(text)
    # A header names a download (Content-Disposition) and a redirect its target.
    headers = " ".join(f"{name}: {value}" for name, value in response.items())
    return unicodedata.normalize("NFC", f"{headers}\n{text}")


def leaks(response, foreign_texts):
    """The foreign texts the response shows."""
    text = response_text(response)
    return [foreign for foreign in foreign_texts if foreign and foreign in text]
