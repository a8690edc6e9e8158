"""Text helpers shared by every app."""

import unicodedata


def fold(text):
    """Lower-case `text` and strip Vietnamese diacritics, so "nguyen van a" finds "Nguyễn Văn A"."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
