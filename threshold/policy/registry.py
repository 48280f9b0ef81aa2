"""The packs available to the product, and how the pack version for a decision is chosen.

A pack is named ``id`` (its current version) or ``id@version`` (that exact version).
Several versions of one pack may sit side by side as separate files; each declares
``effective_from``. A new decision uses the version in force on its date (the latest
``effective_from`` on or before it); a stored decision is re-explained with the exact
``id@version`` it recorded, whatever has been published since.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .errors import PackError, UnknownPackError
from .loader import load_pack
from .pack import Pack

PACKS_DIRECTORY = Path(__file__).with_name("packs")
"""Where the shipped packs live."""

_REF = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)(?:@([0-9A-Za-z][0-9A-Za-z.\-]{0,31}))?")


@dataclass(frozen=True)
class PackRegistry:
    """An immutable set of loaded packs, every version of every pack."""

    packs: tuple[Pack, ...]

    def ids(self) -> tuple[str, ...]:
        """Return the pack ids, sorted."""
        return tuple(sorted({pack.id for pack in self.packs}))

    def versions(self, pack_id: str) -> tuple[Pack, ...]:
        """Return every version of ``pack_id``, oldest ``effective_from`` first."""
        return tuple(pack for pack in self.packs if pack.id == pack_id)

    def current(self) -> tuple[Pack, ...]:
        """Return the newest version of each pack, by id."""
        return tuple(self.versions(pack_id)[-1] for pack_id in self.ids())

    def get(self, ref: str, *, on: date | None = None) -> Pack:
        """Return the pack named ``ref`` (``id`` or ``id@version``).

        With ``on`` and no version, return the version in force on that date.
        Raises ``UnknownPackError`` with the known ids if there is no such pack.
        """
        match = _REF.fullmatch(ref)
        versions = self.versions(match.group(1)) if match else ()
        if not match or not versions:
            raise UnknownPackError(f"unknown policy pack {ref!r}; known packs: {', '.join(self.ids()) or 'none'}")
        pack_id, version = match.groups()
        if version is not None:
            for pack in versions:
                if pack.version == version:
                    return pack
            known = ", ".join(p.version for p in versions)
            raise UnknownPackError(f"policy pack {pack_id!r} has no version {version!r}; versions: {known}")
        if on is None:
            return versions[-1]
        in_force = [p for p in versions if p.effective_from is None or p.effective_from <= on]
        if not in_force:
            raise UnknownPackError(f"no version of policy pack {pack_id!r} was in force on {on.isoformat()}")
        return in_force[-1]


def load_packs(directory: Path) -> PackRegistry:
    """Load every ``*.toml`` pack in ``directory``; raise ``PackError`` on any problem.

    Two files may not declare the same ``id@version``, and two versions of one pack
    may not share an ``effective_from`` (or both omit it): either would make the
    choice of version for a decision ambiguous.
    """
    packs = [load_pack(path) for path in sorted(directory.glob("*.toml"))]
    seen: dict[tuple[str, str], Pack] = {}
    for pack in packs:
        earlier = seen.get((pack.id, pack.version))
        if earlier is not None:
            raise PackError(pack.path, "pack.version", f"{pack.ref} is also defined in {earlier.path}")
        seen[(pack.id, pack.version)] = pack
    ordered = sorted(packs, key=lambda p: (p.id, p.effective_from or date.min))
    for before, after in itertools.pairwise(ordered):
        if before.id == after.id and before.effective_from == after.effective_from:
            raise PackError(
                after.path,
                "pack.effective_from",
                f"{after.ref} and {before.ref} have the same effective_from, so neither is the later version",
            )
    return PackRegistry(tuple(ordered))


@lru_cache(maxsize=1)
def shipped_packs() -> PackRegistry:
    """Return the packs shipped with Threshold, loaded once per process.

    Caching is safe across servers: the files are part of the release, identical on
    every machine, and never written at run time.
    """
    return load_packs(PACKS_DIRECTORY)


def get_pack(ref: str, *, on: date | None = None) -> Pack:
    """Return a shipped pack by ``id`` or ``id@version`` (see ``PackRegistry.get``)."""
    return shipped_packs().get(ref, on=on)


def list_packs() -> tuple[Pack, ...]:
    """Return every shipped pack version, by id then ``effective_from``."""
    return shipped_packs().packs
