"""The refusals of a file as a whole."""


class FileProblem(Exception):
    """The file as a whole cannot be imported (not a workbook, no header, required columns missing)."""


class UnsafeFile(FileProblem):
    """The file is refused before it is parsed (wrong type, too large unpacked, too many rows or columns): the
    job fails rather than waiting for a corrected file of the same upload."""
