"""Exceptions raised by the helpers, each with a message a reader can act on."""


class C5Error(Exception):
    """Base class for every error the helpers raise on purpose."""


class DataValidationError(C5Error, ValueError):
    """A data file breaks its schema: names file, row, column, value and the expectation."""

    def __init__(self, path, row, column, value, expected, *, more=0):
        self.path, self.row, self.column, self.value, self.expected = path, row, column, value, expected
        self.more = more
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(
            f"{path}: row {row}, column {column!r}: got {value!r}, expected {expected}{tail}"
        )


class UnknownValueError(C5Error, ValueError):
    """A parameter or name is not one of the known values; lists them and suggests the nearest."""

    def __init__(self, what, value, valid, *, nearest=None):
        self.what, self.value, self.valid, self.nearest = what, value, list(valid), nearest
        hint = f" Did you mean {nearest!r}?" if nearest else ""
        super().__init__(
            f"unknown {what} {value!r}.{hint} Valid values: {', '.join(map(str, self.valid))}"
        )


class ParameterError(C5Error, ValueError):
    """A notebook parameter has the wrong type, an impossible range, or is not known at all."""


class MatrixError(C5Error, ValueError):
    """The report parameter matrix (reports.toml) is invalid; names the offending entry."""


class BuildLockedError(C5Error, RuntimeError):
    """Another report build holds the lock on the reports directory."""

    def __init__(self, pid=None):
        self.pid = pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another build ({who}) is running; try again when it has finished")
