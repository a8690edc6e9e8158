"""An uploaded file is checked here before any parser opens it, so no file can take a worker's memory.

An .xlsx is a zip of XML parts. A 3.6 MB upload can hold a 1 GB sheet; python-calamine then asks for several GB,
and for a sheet whose cells are far apart (A1 and XFD1048576) it allocates the whole rectangle between them. So,
reading the zip's directory and streaming each part once, in 1 MiB chunks: the content is a zip holding a workbook
(not an .xls, a CSV or another file renamed); its parts are few; each part's declared size, packed size ratio and
real unpacked size are within bounds; each sheet's declared dimension and the cells it really uses fit the row and
column limits. The limits are settings (IMPORT_MAX_*), stated on the import page.
"""

import html
import re
import struct
import zipfile
import zlib

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .errors import UnsafeFile

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other old Office files
END_OF_DIRECTORY = b"PK\x05\x06"
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
RELATIONS_PART = "xl/_rels/workbook.xml.rels"
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\"")
CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]{0,200}?\br=\"([A-Z]{1,3})\d")
CELL_ROW = re.compile(rb"<(?:\w+:)?c\s[^>]{0,200}?\br=\"[A-Z]{1,3}(\d{1,7})\"")
CHUNK = 1 << 20
# A cell reference cut by a chunk boundary is found again in the next chunk, which starts with this much overlap.
OVERLAP = 256
# Small parts (styles, themes) compress very well and cannot hurt: their ratio is not judged.
RATIO_FROM_BYTES = 1 << 20
# The parts naming the sheets are read only when they are this small (they hold a few hundred bytes).
NAMES_PART_BYTES = 1 << 20
# The header row and the template's example row sit above the data rows.
ROWS_ABOVE_DATA = 2
MB = 2**20
# What zipfile and zlib raise on a damaged, encrypted or oddly compressed part.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)

LIMITS_TEXT = _(
    "One file holds at most %(max_rows)s data rows and %(max_columns)s columns, and takes at most %(max_upload_mb)s MB "
    "(%(max_unpacked_mb)s MB unpacked); split larger data into several files."
)
# Excel 97-2003 files and workbooks protected by a password are both OLE2 containers.
OLD_EXCEL = _(
    "This is an Excel 97–2003 file (.xls) or a workbook protected by a password. Open it in Excel, remove the "
    "password if there is one, save it as “Excel Workbook (.xlsx)” and upload it again."
)
NOT_XLSX_CONTENT = _(
    "The content of the file is not an Excel workbook (.xlsx), whatever its name says (a CSV file, or another file "
    "renamed?). Save it in Excel as “Excel Workbook (.xlsx)” and upload it again."
)
TOO_MANY_PARTS = _("The workbook holds %(count)s parts; an Excel workbook for import holds at most %(max)s.")
TOO_LARGE_UNPACKED = _(
    "Unpacked, the workbook takes more than %(max)s MB (the part “%(part)s” alone %(size)s MB); at most %(max)s MB "
    "are accepted. Split the data into several files."
)
PACKED_TOO_TIGHT = _(
    "The part “%(part)s” of the workbook unpacks to %(ratio)s times its packed size; an Excel file is at most "
    "%(max)s times. The file is refused as a possible decompression bomb."
)
DAMAGED = _(
    "The workbook is damaged: its part “%(part)s” cannot be unpacked. Open it in Excel, save it again and upload it."
)
DIMENSION_TOO_LARGE = _(
    "The sheet “%(part)s” declares the range %(range)s: %(rows)s rows and %(columns)s columns; at most %(max_rows)s "
    "data rows and %(max_columns)s columns are accepted."
)
TOO_MANY_ROWS = _(
    "The sheet “%(part)s” has cells down to row %(rows)s; at most %(max)s data rows are accepted in one file. "
    "Split the data into several files."
)
TOO_MANY_COLUMNS = _(
    "The sheet “%(part)s” has cells up to column %(column)s (%(columns)s columns); at most %(max)s columns are "
    "accepted."
)


def limits_text():
    """The limits in force, in a sentence for the import page and the template's instructions."""
    values = {
        "max_upload_mb": settings.IMPORT_MAX_UPLOAD_BYTES // MB,
        "max_unpacked_mb": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // MB,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_columns": settings.IMPORT_MAX_COLUMNS,
    }
    return str(LIMITS_TEXT % {key: number_format(value, force_grouping=True) for key, value in values.items()})


def column_number(letters):
    number = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def inspect_workbook(handle):
    """Raise UnsafeFile with the reason when the open file `handle` must not be parsed; leave it at its start."""
    handle.seek(0)
    magic = handle.read(8)
    if magic.startswith(OLE2_MAGIC):
        raise UnsafeFile(OLD_EXCEL)
    if not magic.startswith(ZIP_MAGIC):
        raise UnsafeFile(NOT_XLSX_CONTENT)
    _check_part_count(handle)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsafeFile(NOT_XLSX_CONTENT) from error
    with archive:
        present = set(archive.namelist())
        if not all(part in present for part in WORKBOOK_PARTS):
            raise UnsafeFile(NOT_XLSX_CONTENT)
        names = _sheet_names(archive, present)
        _check_declared_sizes(archive.infolist(), names)
        unpacked = 0
        for info in archive.infolist():
            unpacked = _stream_part(archive, info, unpacked, names)
    handle.seek(0)


def _check_part_count(handle):
    """The zip's own count of its parts, read from its last bytes before zipfile builds an object for each."""
    handle.seek(0, 2)
    size = handle.tell()
    tail_size = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        raise UnsafeFile(NOT_XLSX_CONTENT)
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    # 0xFFFF means the count is in a ZIP64 record: no Excel workbook for import needs one.
    if count > settings.IMPORT_MAX_ZIP_MEMBERS:
        raise UnsafeFile(TOO_MANY_PARTS % {"count": count, "max": settings.IMPORT_MAX_ZIP_MEMBERS})
    handle.seek(0)


def _check_declared_sizes(infos, names):
    most = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    if len(infos) > settings.IMPORT_MAX_ZIP_MEMBERS:
        raise UnsafeFile(TOO_MANY_PARTS % {"count": len(infos), "max": settings.IMPORT_MAX_ZIP_MEMBERS})
    biggest = max(infos, key=lambda info: info.file_size)
    if sum(info.file_size for info in infos) > most:
        part = names.get(biggest.filename, biggest.filename)
        raise UnsafeFile(TOO_LARGE_UNPACKED % {"max": most // MB, "part": part, "size": _mb(biggest)})
    for info in infos:
        _check_ratio(names.get(info.filename, info.filename), info.file_size, info.compress_size)


def _check_ratio(name, unpacked, packed):
    limit = settings.IMPORT_MAX_COMPRESSION_RATIO
    if unpacked >= RATIO_FROM_BYTES and unpacked > limit * max(packed, 1):
        raise UnsafeFile(PACKED_TOO_TIGHT % {"part": name, "ratio": unpacked // max(packed, 1), "max": limit})


def _mb(info):
    return max(1, round(info.file_size / MB))


def _sheet_names(archive, present):
    """{part name: the sheet's name as Excel shows it}, so a message names a tab the user can find."""
    parts = ("xl/workbook.xml", RELATIONS_PART)
    if any(part not in present or archive.getinfo(part).file_size > NAMES_PART_BYTES for part in parts):
        return {}
    try:
        book = archive.read(parts[0]).decode("utf-8", "replace")
        rels = archive.read(parts[1]).decode("utf-8", "replace")
    except UNREADABLE:
        return {}
    targets = {}
    for relation in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        ident, target = re.search(r'\bId="([^"]+)"', relation), re.search(r'\bTarget="([^"]+)"', relation)
        if ident and target:
            targets[ident.group(1)] = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
    names = {}
    for sheet in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name, ident = re.search(r'\bname="([^"]+)"', sheet), re.search(r'\br:id="([^"]+)"', sheet)
        if name and ident and ident.group(1) in targets:
            names[targets[ident.group(1)]] = html.unescape(name.group(1))
    return names


def _stream_part(archive, info, unpacked, names):
    """Unpack one part in chunks, counting the bytes really produced (a part may lie about its size); a sheet's
    declared dimension and used cells are checked on the way. Returns the bytes unpacked so far."""
    most = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    sheet = SHEET_PART.match(info.filename) is not None
    rows = columns = 0
    carry = b""
    beyond_rows, beyond_columns = _beyond_limits()
    try:
        with archive.open(info) as part:
            first = True
            while chunk := part.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > most:
                    part = names.get(info.filename, info.filename)
                    raise UnsafeFile(TOO_LARGE_UNPACKED % {"max": most // MB, "part": part, "size": _mb(info)})
                if not sheet:
                    continue
                if first:
                    _check_dimension(names.get(info.filename, info.filename), chunk)
                    first = False
                text = carry + chunk
                # Only a value past its limit changes the outcome: a chunk where no reference is long enough to be
                # one adds nothing to the refusal or to its message, and its cells are not read one by one.
                if beyond_rows.search(text):
                    rows = max(rows, *map(int, CELL_ROW.findall(text)), 0)
                if beyond_columns.search(text):
                    columns = max(columns, *map(column_number, set(CELL_COLUMN.findall(text))), 0)
                carry = text[-OVERLAP:]
    except UNREADABLE as error:
        raise UnsafeFile(DAMAGED % {"part": names.get(info.filename, info.filename)}) from error
    if sheet:
        _check_extent(names.get(info.filename, info.filename), rows, columns)
    return unpacked


def _beyond_limits():
    """Patterns found in every cell reference of a row, then of a column, past the limits (a reference with as many
    digits, then letters, as the first row, then column, too far); cheap to search, being plain text from `r="`.
    A chunk where neither is found holds no cell past the limits: reading each of its two million references
    (CELL_ROW, CELL_COLUMN) took 1.4 of the 2.6 s of a 100,000-row file's inspection."""
    digits = len(str(settings.IMPORT_MAX_ROWS + ROWS_ABOVE_DATA + 1))
    letters = len(_letters(settings.IMPORT_MAX_COLUMNS + 1))
    return re.compile(rb'r="[A-Z]{1,3}\d{%d}' % digits), re.compile(rb'r="[A-Z]{%d}' % letters)


def _check_dimension(name, head):
    match = DIMENSION.search(head)
    if match is None:
        return
    first_column, first_row, last_column, last_row = match.groups()
    last_column, last_row = last_column or first_column, last_row or first_row
    rows = int(last_row) - int(first_row) + 1
    columns = column_number(last_column) - column_number(first_column) + 1
    if rows > settings.IMPORT_MAX_ROWS + ROWS_ABOVE_DATA or columns > settings.IMPORT_MAX_COLUMNS:
        raise UnsafeFile(
            DIMENSION_TOO_LARGE
            % {
                "part": name,
                "range": match.group(0).split(b'"')[1].decode(),
                "rows": rows,
                "columns": columns,
                "max_rows": settings.IMPORT_MAX_ROWS,
                "max_columns": settings.IMPORT_MAX_COLUMNS,
            }
        )


def _check_extent(name, rows, columns):
    # calamine allocates the rectangle from A1 to the last cell used, whatever lies between.
    if rows > settings.IMPORT_MAX_ROWS + ROWS_ABOVE_DATA:
        raise UnsafeFile(TOO_MANY_ROWS % {"part": name, "rows": rows, "max": settings.IMPORT_MAX_ROWS})
    if columns > settings.IMPORT_MAX_COLUMNS:
        letters = _letters(columns)
        raise UnsafeFile(
            TOO_MANY_COLUMNS % {"part": name, "column": letters, "columns": columns, "max": settings.IMPORT_MAX_COLUMNS}
        )


def _letters(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
