"""Phase 4, index: identities (hruid, language, version), duplicates, and "the latest version".

Dwengo lets the last folder processed win when two objects share an identity (LC has 60 such
collisions). We never overwrite silently: the first source in path order is kept, and
``lp.duplicate_id`` is reported as an error at *both* locations, so the build fails until one of
them is renamed. A reference without a version means the highest version of (hruid, language).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, TypeVar

from .codes import Code
from .diagnostics import Reporter, did_you_mean
from .result import ObjectKey

T = TypeVar("T")


@dataclass(frozen=True)
class Located:
    display: str
    line: int
    col: int = 0


class ObjectIndex(Generic[T]):
    def __init__(self) -> None:
        self.items: dict[ObjectKey, T] = {}
        self.where: dict[ObjectKey, Located] = {}
        self.versions: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.languages: dict[str, set[str]] = defaultdict(set)
        self.rejected: set[str] = set()  # hruids of objects left out because of errors

    def add(self, key: ObjectKey, item: T, where: Located, reporter: Reporter) -> bool:
        """Register ``item``; False (and ``lp.duplicate_id`` at both places) when ``key`` is taken."""
        first = self.where.get(key)
        if first is not None:
            reporter.error(
                where.display,
                where.line,
                Code.DUPLICATE_ID,
                f"learning object {key} is already defined in {first.display}:{first.line}; this one is left out",
                col=where.col,
                hint="give one of them another hruid, language or version",
            )
            reporter.error(
                first.display,
                first.line,
                Code.DUPLICATE_ID,
                f"learning object {key} is defined again in {where.display}:{where.line}",
                col=first.col,
                hint="give one of them another hruid, language or version",
            )
            return False
        self.items[key] = item
        self.where[key] = where
        self.versions[(key.hruid, key.language)].append(key.version)
        self.languages[key.hruid].add(key.language)
        return True

    def latest(self, hruid: str, language: str) -> int | None:
        versions = self.versions.get((hruid, language))
        return max(versions) if versions else None

    def resolve(self, hruid: str, language: str, version: int | None) -> ObjectKey | None:
        """The key of an existing object; ``version=None`` means the latest one."""
        if version is None:
            version = self.latest(hruid, language)
            if version is None:
                return None
        key = ObjectKey(hruid, language, version)
        return key if key in self.items else None

    def explain_missing(self, hruid: str, language: str, version: int | None, *, cutoff: float = 0.6) -> str:
        """A hint for a reference that does not resolve."""
        versions = self.versions.get((hruid, language))
        if versions:
            return f"versions that exist: {', '.join(map(str, sorted(versions)))}"
        if self.languages.get(hruid):
            return f"{hruid} exists in: {', '.join(sorted(self.languages[hruid]))}"
        if hruid in self.rejected:
            return f"an object {hruid} was left out because of the errors reported for it"
        same_language = [h for (h, lang) in self.versions if lang == language]
        return did_you_mean(hruid, same_language, cutoff=cutoff) or did_you_mean(
            hruid, self.languages.keys(), cutoff=cutoff
        )
