"""PDF reading for the print tests, with pypdfium2 (no poppler on the machines): the text of each page, and a
page rendered to PNG (written with zlib, no imaging library needed)."""

import struct
import zlib

import pypdfium2


def page_texts(content):
    document = pypdfium2.PdfDocument(content)
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def page_png(content, index=0, scale=1.5):
    """The page `index` of the PDF as PNG bytes (RGB)."""
    document = pypdfium2.PdfDocument(content)
    try:
        bitmap = document[index].render(scale=scale, rev_byteorder=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        channels = bitmap.n_channels
        buffer = bytes(bitmap.buffer)
    finally:
        document.close()
    rows = b"".join(
        b"\x00" + b"".join(buffer[y * stride + x * channels : y * stride + x * channels + 3] for x in range(width))
        if channels != 3
        else b"\x00" + buffer[y * stride : y * stride + width * 3]
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 6)) + _chunk(b"IEND", b"")
    )
