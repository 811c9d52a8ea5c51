"""A compact, incremental LSH band index over MinHash signatures: which earlier rows share a band.

Locality-sensitive hashing in bands: a signature of ``bands × rows`` values is cut into ``bands``
slices, and two signatures are candidates when any slice is equal, which happens with probability
1 − (1 − J^rows)^bands for Jaccard J. Each slice is reduced to one 64-bit key.

Why not ``datasketch.MinHashLSH``: its buckets are Python sets of keys and each band key a bytes
object, measured at about 9 KB and 0.1 ms per article for 42 bands (docs/stories.md); a ×20 Reuters
build would hold several GB there. Here the keys live in two levels: recent additions in a dict
(key → row, or a list of rows), and everything older in one sorted numpy array of keys with the rows
beside them (12 bytes per band), into which the dict is merged when it grows past ``MERGE_EVERY``
rows. Removal marks a row dead; dead rows are dropped at the next merge.
"""
from __future__ import annotations

import numpy as np

MERGE_EVERY = 20_000        # rows held in the dict level before it is merged into the sorted arrays

_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
                 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD], dtype=np.uint64)


class BandIndex:
    """Rows (ints) indexed by the band keys of their signatures; ``candidates`` lists the live rows
    sharing at least one band with a signature."""

    def __init__(self, bands: int, rows: int):
        if rows > len(_MIX):
            raise ValueError(f"at most {len(_MIX)} rows per band")
        self.bands, self.rows = bands, rows
        self._salt = (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * np.uint64(0xD6E8FEB86659FD93)
        self._keys = np.empty(0, dtype=np.uint64)     # sorted
        self._key_rows = np.empty(0, dtype=np.int32)
        self._recent: dict[int, int | list[int]] = {}
        self._recent_rows = 0
        self._dead: set[int] = set()
        self._live = 0

    def __len__(self) -> int:
        return self._live

    def keys(self, signature: np.ndarray) -> np.ndarray:
        """The ``bands`` 64-bit keys of a signature (its first bands × rows values)."""
        values = signature[:self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        mixed = (values * _MIX[:self.rows]).sum(axis=1, dtype=np.uint64) ^ self._salt
        return mixed ^ (mixed >> np.uint64(29))

    def add(self, row: int, signature: np.ndarray) -> None:
        """Index ``row`` under its signature's band keys (a row number is added once: not reused)."""
        recent = self._recent
        for key in self.keys(signature).tolist():
            held = recent.get(key)
            if held is None:
                recent[key] = row
            elif isinstance(held, list):
                held.append(row)
            else:
                recent[key] = [held, row]
        self._recent_rows += 1
        self._live += 1
        if self._recent_rows >= MERGE_EVERY:
            self._merge()

    def remove(self, row: int) -> None:
        """Forget ``row`` (it must have been added and not removed since)."""
        self._dead.add(row)
        self._live -= 1

    def candidates(self, signature: np.ndarray) -> np.ndarray:
        """The live rows that share a band with ``signature`` (distinct, unordered, int64)."""
        keys = self.keys(signature)
        found: list[int] = []
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            hit = hi > lo
            if hit.any():
                found.extend(self._key_rows[np.concatenate(
                    [np.arange(a, b) for a, b in zip(lo[hit].tolist(), hi[hit].tolist())])].tolist())
        recent = self._recent
        for key in keys.tolist():
            held = recent.get(key)
            if held is not None:
                if isinstance(held, list):
                    found.extend(held)
                else:
                    found.append(held)
        if not found:
            return np.empty(0, dtype=np.int64)
        rows = set(found)
        if self._dead:
            rows -= self._dead
        return np.fromiter(rows, dtype=np.int64, count=len(rows))

    def _merge(self) -> None:
        """Moves the dict level into the sorted arrays, dropping dead rows."""
        keys, rows = [], []
        for key, held in self._recent.items():
            if isinstance(held, list):
                keys.extend([key] * len(held))
                rows.extend(held)
            else:
                keys.append(key)
                rows.append(held)
        all_keys = np.concatenate([self._keys, np.array(keys, dtype=np.uint64)])
        all_rows = np.concatenate([self._key_rows, np.array(rows, dtype=np.int32)])
        if self._dead:
            keep = ~np.isin(all_rows, np.fromiter(self._dead, dtype=np.int32, count=len(self._dead)))
            all_keys, all_rows = all_keys[keep], all_rows[keep]
            self._dead.clear()
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._key_rows = all_keys[order], all_rows[order]
        self._recent = {}
        self._recent_rows = 0

    def nbytes(self) -> int:
        """Approximate memory held (arrays exactly; the dict level at about 100 bytes a key)."""
        return int(self._keys.nbytes + self._key_rows.nbytes + 100 * len(self._recent))
