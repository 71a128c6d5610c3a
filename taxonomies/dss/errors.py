"""Errors of the DSS taxonomy package."""

from __future__ import annotations

from core.errors import InvalidInput


class TaxonomyError(Exception):
    """A data file is missing, malformed or inconsistent; names the file and the bad entry."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}")
        self.file = file
        self.entry = entry
        self.problem = problem


class ImportanceImportError(InvalidInput):
    """A row of an importance CSV is unusable; names the line and the field."""

    def __init__(self, file: str, line: int, field: str, problem: str) -> None:
        super().__init__(f"{file}, line {line}, field {field}: {problem}", field=field,
                         extra={"file": file, "line": line})
        self.file = file
        self.line = line
