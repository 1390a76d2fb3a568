"""What the start screen shows of each routine, as plain text and numbers.

A :class:`ListedRoutine` is made from a loaded routine (``timer_app.core.library.listed``) or
read back from the start-screen cache (``timer_app.core.start_cache``) or, on the very first
launch, from the built-in routines' listing shipped with the app
(``timer_app.core.shipped_listing``), so the start screen can be drawn without parsing a
routine file or building the routine model. This module imports
nothing of the model (nor dataclasses, whose classes cost start-up time to create): it is
loaded before the first paint.
"""

from __future__ import annotations

from typing import Any


class ListedRoutine:
    """One row of the start screen's routine list and what its details panel shows.

    ``error`` is the load error of a file that could not be read (then ``name``, ``total``
    and ``rows`` are empty); ``rows`` are the details panel's (label, value) lines."""

    __slots__ = (
        "builtin",
        "description",
        "error",
        "id",
        "name",
        "overrides_builtin",
        "path",
        "rows",
        "total_seconds",
    )

    def __init__(
        self,
        *,
        path: str,
        builtin: bool,
        overrides_builtin: bool,
        id: str,
        name: str = "",
        description: str = "",
        total_seconds: int = 0,
        rows: tuple[tuple[str, str], ...] = (),
        error: str | None = None,
    ) -> None:
        self.path = path
        self.builtin = builtin
        self.overrides_builtin = overrides_builtin
        self.id = id
        self.name = name
        self.description = description
        self.total_seconds = total_seconds
        self.rows = rows
        self.error = error

    @property
    def loads(self) -> bool:
        """False for a file with errors (listed with its error, cannot be started)."""
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_json(cls, data: object) -> ListedRoutine:
        """The routine ``to_json`` gave; ValueError if ``data`` is anything else."""
        if not isinstance(data, dict) or set(data) != set(cls.__slots__):
            raise ValueError("not a listed routine")
        rows = data["rows"]
        if not isinstance(rows, list) or not all(
            isinstance(row, list) and len(row) == 2 and all(isinstance(t, str) for t in row)
            for row in rows
        ):
            raise ValueError("bad rows")
        error = data["error"]
        texts = (data["path"], data["id"], data["name"], data["description"])
        if (
            not all(isinstance(text, str) for text in texts)
            or not isinstance(data["builtin"], bool)
            or not isinstance(data["overrides_builtin"], bool)
            or type(data["total_seconds"]) is not int
            or not (error is None or isinstance(error, str))
        ):
            raise ValueError("bad field")
        return cls(
            path=data["path"],
            builtin=data["builtin"],
            overrides_builtin=data["overrides_builtin"],
            id=data["id"],
            name=data["name"],
            description=data["description"],
            total_seconds=data["total_seconds"],
            rows=tuple((label, value) for label, value in rows),
            error=error,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ListedRoutine):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable in principle: not a dict key

    def __repr__(self) -> str:
        return f"ListedRoutine(id={self.id!r}, path={self.path!r}, error={self.error!r})"
