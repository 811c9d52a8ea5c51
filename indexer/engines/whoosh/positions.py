"""Word positions beside each segment, as flat arrays, so phrases are matched without unpickling.

Whoosh keeps each posting's positions inside its posting block as a small pickle. Matching a
phrase of two common words ("dlr share" on Reuters ×5: 42,000 and 20,000 documents) meant
inflating and cutting tens of thousands of those out of their blocks, about 100 ms a phrase.

The segment writer (``indexer.segments``) therefore writes, per segment, a ``.pos`` file: for each positional field, every term's positions in one array, with the
number of positions of each posting, in the order of the postings. A term is found by where
its posting list starts in the segment's postings file (which the term dictionary gives), so
the file needs no term dictionary of its own. Readers memory-map it. Title and body
(``schema.FastText``) have their positions here only: their posting blocks hold frequencies
(each posting's count of positions here). A field whose blocks hold Whoosh's ``Positions``
values gets the arrays decoded from those values, and a segment without the file is read
from its blocks.

Layout: ``MAGIC``, the JSON header's length (8 bytes, little-endian), the JSON header (the
segment's id, and per field where each array lies), then the arrays, each at a multiple of 8
bytes: per field, ``offsets`` (int64, each term's posting list start, increasing), ``first``
(int64, terms + 1: each term's first posting), ``pfirst`` (int64, terms + 1: each term's first
position), ``counts`` and ``positions``, and, when every posting's weight is its count times
one number (``weight_per_position``), the postings' document numbers ``ids``; counts,
positions and ids are uint16 when every value fits, else uint32.
"""
from __future__ import annotations

import itertools
import json
import os
from array import array
from typing import NamedTuple, Optional

import numpy as np

from indexer.engines.whoosh import postings

EXT = ".pos"
MAGIC = b"NFPOS1\n\0"
_DECODE_CHUNK = 1 << 18    # posting values decoded together when a segment is written


# ---------------------------------------------------------------- writing

class FieldPositions:
    """One field's arrays for a segment, gathered as the segment writer writes its posting
    blocks (``_BlockWriter.write_term`` hands each block's columns over)."""

    def __init__(self):
        self.offsets: list[int] = []
        self.sizes: list[int] = []
        self.docs = array("i")          # segment document numbers (under 2**31)
        self.weights = array("f")       # float32, as Whoosh stores them
        self.values: list[bytes] = []

    def start_term(self, offset: int) -> None:
        """The next term's posting list starts at ``offset`` in the postings file."""
        self.offsets.append(offset)
        self.sizes.append(0)

    def add_block(self, docs: tuple, weights: tuple, values: tuple) -> None:
        """The next block of the current term: document numbers, weights, and per posting its
        positions as a tuple or list (``schema.FastText``) or Whoosh's ``Positions`` value."""
        self.sizes[-1] += len(docs)
        self.docs.extend(docs)
        self.weights.extend(weights)
        self.values.extend(values)

    def arrays(self) -> dict:
        """The collected positions as flat arrays, decoded in chunks so a big field never doubles in memory."""
        sizes = np.asarray(self.sizes, dtype=np.int64)
        n = int(sizes.sum())
        ids = np.frombuffer(self.docs, dtype=np.int32) if n else np.zeros(0, dtype=np.int32)
        weights = np.frombuffer(self.weights, dtype=np.float32) if n else np.zeros(0, dtype=np.float32)
        values, self.values = self.values, []
        # decoded a chunk at a time and narrowed at once: bounded temporaries
        decode = _from_lists if n and isinstance(values[0], (list, tuple)) else postings.raw_positions
        parts = [tuple(map(_narrow, decode(values[i:i + _DECODE_CHUNK]))) for i in range(0, n, _DECODE_CHUNK)]
        del values
        counts = _narrow(np.concatenate([c for c, _ in parts])) if parts else np.zeros(0, dtype=np.uint16)
        flat = _narrow(np.concatenate([f for _, f in parts])) if parts else np.zeros(0, dtype=np.uint16)
        del parts
        first = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=first[1:])
        pfirst = np.zeros(len(sizes) + 1, dtype=np.int64)
        if n:
            pfirst[1:] = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))[first[1:]]
        out = {"offsets": np.asarray(self.offsets, dtype=np.int64), "first": first, "pfirst": pfirst,
               "counts": counts, "positions": flat}
        # Each weight is its count times the field's boost (one number): then the ids are kept
        # too, and a phrase needs nothing from the posting blocks. Whoosh stores weights as
        # float32, so the check is on float32 values.
        per = float(weights[0]) / float(counts[0]) if n and counts[0] else 0.0
        if n and per > 0 and np.array_equal((counts * per).astype(np.float32), weights):
            out["ids"] = _narrow(ids)
            out["weight_per_position"] = per
        return out


def _from_lists(values: list) -> tuple[np.ndarray, np.ndarray]:
    """(counts, positions) of positions tuples or lists, one after another."""
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return counts, np.fromiter(itertools.chain.from_iterable(values), dtype=np.int64, count=int(counts.sum()))


def _narrow(values: np.ndarray) -> np.ndarray:
    top = int(values.max()) if len(values) else 0
    if top < 1 << 16:
        return values.astype(np.uint16)
    return values.astype(np.uint32 if top < 1 << 32 else np.int64)


def write(path: str, segment_id: str, fields: dict[str, dict[str, np.ndarray]]) -> None:
    """Write the ``.pos`` file of segment ``segment_id``: ``{field: arrays}`` (``FieldPositions.arrays``)."""
    header: dict = {"segment": segment_id, "fields": {}}
    at = 0
    layout = []
    for name, arrays in fields.items():
        entry = header["fields"][name] = {}
        for key, arr in arrays.items():
            if not isinstance(arr, np.ndarray):
                entry[key] = arr
                continue
            entry[key] = [at, arr.dtype.str, int(arr.shape[0])]
            layout.append(arr)
            at += -(-arr.nbytes // 8) * 8
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-(len(MAGIC) + 8 + len(head)) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for arr in layout:
            data = np.ascontiguousarray(arr).tobytes()
            fh.write(data + b"\0" * (-len(data) % 8))
    os.replace(tmp, path)


# ---------------------------------------------------------------- reading

class _Field(NamedTuple):
    offsets: np.ndarray
    first: np.ndarray
    pfirst: np.ndarray
    counts: np.ndarray
    positions: np.ndarray
    ids: Optional[np.ndarray] = None
    weight_per_position: float = 0.0


class TermPositions(NamedTuple):
    """One term's positions as arrays read straight from a `.pos` file, so phrases need no posting decode."""
    counts: np.ndarray                    # int64, positions per posting
    positions: np.ndarray                 # int64, all postings' positions one after another
    ids: Optional[np.ndarray]             # int64 segment document numbers, when the file has them
    weights: Optional[np.ndarray]         # float32 posting weights (Whoosh's), with ``ids``


class PositionsFile:
    """A segment's ``.pos`` file, memory-mapped."""

    def __init__(self, path: str, segment_id: str):
        """Raises ValueError unless the file is a whole, consistent ``.pos`` file of that segment."""
        try:
            self._load(path, segment_id)
        except (KeyError, TypeError, AttributeError, IndexError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a readable positions file ({type(exc).__name__})") from exc

    def _load(self, path: str, segment_id: str) -> None:
        mm = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(mm[:len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path}: not a positions file")
        size = int.from_bytes(bytes(mm[len(MAGIC):len(MAGIC) + 8]), "little")
        base = len(MAGIC) + 8 + size
        header = json.loads(bytes(mm[len(MAGIC) + 8:base]))
        if header.get("segment") != segment_id:
            raise ValueError(f"{path}: written for another segment")
        self.fields: dict[str, _Field] = {}
        for name, entry in header["fields"].items():
            arrays = {}
            for key, spec in entry.items():
                if key == "weight_per_position":
                    arrays[key] = float(spec)
                    continue
                at, dtype, n = spec
                dt = np.dtype(dtype)
                if dt.kind not in "iuf" or at < 0 or n < 0 or base + at + n * dt.itemsize > len(mm):
                    raise ValueError(f"{path}: truncated or damaged")
                arrays[key] = mm[base + at:base + at + n * dt.itemsize].view(dt)
            f = _Field(**arrays)
            terms = len(f.offsets)
            if len(f.first) != terms + 1 or len(f.pfirst) != terms + 1 or \
                    (terms and (f.first[-1] != len(f.counts) or f.pfirst[-1] != len(f.positions))) or \
                    (f.ids is not None and (len(f.ids) != len(f.counts) or not f.weight_per_position > 0)):
                raise ValueError(f"{path}: its arrays don't fit together")
            self.fields[name] = f

    def term(self, fieldname: str, offset: int, npostings: int) -> Optional[TermPositions]:
        """The postings' positions of the term whose posting list starts at ``offset`` (with
        their ids and weights when the file has them), or None when the file doesn't have
        that term with ``npostings`` postings."""
        f = self.fields.get(fieldname)
        if f is None:
            return None
        i = int(np.searchsorted(f.offsets, offset))
        if i >= len(f.offsets) or f.offsets[i] != offset:
            return None
        a, b = int(f.first[i]), int(f.first[i + 1])
        if b - a != npostings:
            return None
        counts = f.counts[a:b].astype(np.int64)
        flat = f.positions[int(f.pfirst[i]):int(f.pfirst[i + 1])].astype(np.int64)
        if f.ids is None:
            return TermPositions(counts, flat, None, None)
        # float32, as Whoosh stores and returns weights (the writer checked these are exactly those)
        return TermPositions(counts, flat, f.ids[a:b].astype(np.int64),
                             (counts * f.weight_per_position).astype(np.float32))


def for_leaf(leaf, opened: dict) -> Optional[PositionsFile]:
    """The ``.pos`` file of a segment reader's segment, or None (none written, or not on disk).
    ``opened`` keeps the files a generation has opened (``Generation.positions``): their
    memory maps last as long as it does."""
    storage = getattr(leaf, "_storage", None)
    storage = getattr(storage, "b", storage)     # a compound segment's OverlayStorage: the folder's
    folder = getattr(storage, "folder", None)
    segment = getattr(leaf, "_segment", None)
    if folder is None or segment is None:
        return None
    path = os.path.join(folder, segment.make_filename(EXT))
    try:
        return opened[path]
    except KeyError:
        pass
    try:
        found = PositionsFile(path, segment.segment_id())
    except (FileNotFoundError, ValueError):
        found = None              # none written, or not one to trust: the postings are read instead
    except OSError:
        return None               # perhaps passing (too many open files): try again next time
    opened[path] = found          # (two threads may both open it: the same file, either is right)
    return found
