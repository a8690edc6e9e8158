"""Render the first page of a Word document (.docx) as a PNG, as a reader sees it printed.

    .venv/bin/python docs/render_first_page.py bao-cao-tong-hop-2024-v1.docx docs/screenshots/consolidated-2024.png

LibreOffice (`soffice`, e.g. Debian's libreoffice-writer-nogui) converts the document to PDF in a temporary folder;
pypdfium2 (a dev dependency) draws its first page. Only for refreshing the screenshots in docs/: neither the portal
nor its tests need LibreOffice.
"""

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pypdfium2

# 150 dpi: an A4 page 1240 × 1754 pixels, the 13–14 pt text sharp enough to read.
SCALE = 150 / 72
CONVERT_TIMEOUT = 180


def render(docx, png, *, scale=SCALE):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: install LibreOffice writer (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as folder:
        # A profile of its own, so a desktop LibreOffice already running is neither used nor disturbed.
        profile = Path(folder, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                docx,
            ],
            check=True,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
        )
        pdf = pypdfium2.PdfDocument(Path(folder, Path(docx).with_suffix(".pdf").name))
        bitmap = pdf[0].render(scale=scale, rev_byteorder=True)  # RGB rows, no Pillow needed
        Path(png).parent.mkdir(parents=True, exist_ok=True)
        Path(png).write_bytes(_png(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, bitmap.n_channels))
        return len(pdf)


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(buffer, width, height, stride, channels):
    """A PNG of 8-bit RGB rows (the alpha or padding byte of 4-channel pixels dropped)."""
    rows = bytearray()
    for y in range(height):
        row = buffer[y * stride : y * stride + width * channels]
        if channels == 4:
            row = bytes(b for i, b in enumerate(row) if i % 4 != 3)
        rows += b"\x00" + row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx")
    parser.add_argument("png")
    args = parser.parse_args()
    pages = render(args.docx, args.png)
    print(f"{args.png}: page 1 of {pages}")  # noqa: T201


if __name__ == "__main__":
    main()
