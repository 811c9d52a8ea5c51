"""Reading Whoosh 3 posting lists in bulk, for the numpy paths (ranking, phrases, match masks).

Whoosh's own leaf matcher reads a posting list block by block through its file
object: every block header is unpickled from a stream of small reads, and every
block's data tuple (ids, weights, values) is unpickled whole. The values are the
expensive part (each position list is a ``bytes`` object, which pickle protocol 2
rebuilds with a ``_codecs.encode`` call), and word queries never look at them.

Here a posting list is read with one file read; block headers are unpickled from
memory; and when only ids and weights are wanted, each block's pickle is cut
where its values begin (ids and weights come first in the tuple), which
unpickles about ten times faster. Values are unpickled only for the blocks a
caller asks them of. Anything that isn't the plain layout falls back to Whoosh's
full unpickling of the block, so the numbers are always Whoosh's.
"""
from __future__ import annotations

import io
import itertools
import zlib
from pickle import load, loads
from typing import Iterator, NamedTuple

import numpy as np

_MAGIC_BYTES = 4                      # WHOOSH3_HEADER_MAGIC before the first block
_INT_BYTES = 4                        # each block starts with its length, big-endian signed int
_MAX_HEADER_BYTES = 128               # then its info tuple pickled: 6 numbers, under 50 bytes
# Protocol 2 pickles bytes as _codecs.encode(text, "latin1"): the first value of a block's value
# tuple (MARK, then this GLOBAL) is where the ids and weights end.
_VALUES_START = b"(c_codecs\nencode\n"
_TUPLE2_STOP = b"\x86."


class Block(NamedTuple):
    count: int                        # postings in the block
    maxid: int                        # the block's last document number (segment-local)
    compression: int                  # zlib level, 0 when not compressed
    data: memoryview                  # the data pickle as stored


def is_plain(m) -> bool:
    """Whether ``m`` is a Whoosh 3 leaf matcher over document numbers (what this module reads)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    return type(m) is W3LeafMatcher and not m._byteids and m._i == 0


def blocks(m) -> Iterator[Block]:
    """Every block of the posting list ``m`` (a fresh, plain W3LeafMatcher: see ``is_plain``)."""
    extent = m._length[0] if isinstance(m._length, tuple) else m._length   # whoosh-reloaded keeps it a 1-tuple
    start, buf, pos = m._startoffset, b"", _MAGIC_BYTES
    while True:
        if pos + _INT_BYTES > len(buf):           # past the extent read so far: read on
            buf = m._postfile.get(start, max(extent, pos + _INT_BYTES))
        length = int.from_bytes(buf[pos:pos + _INT_BYTES], "big", signed=True)
        last = length < 0
        end = pos + _INT_BYTES + abs(length)
        if end > len(buf):
            buf = m._postfile.get(start, max(extent, end))
            if end > len(buf):
                raise EOFError("posting block past the end of the file")
        stream = io.BytesIO(buf[pos + _INT_BYTES:min(end, pos + _INT_BYTES + _MAX_HEADER_BYTES)])
        count, maxid, _maxweight, compression, _minlen, _maxlen = load(stream)
        yield Block(count, maxid, compression or 0, memoryview(buf)[pos + _INT_BYTES + stream.tell():end])
        if last:
            return
        pos = end


def _unpickled(block: Block) -> bytes:
    return zlib.decompress(block.data) if block.compression else bytes(block.data)


def data(block: Block) -> tuple:
    """The block's whole data tuple (ids as deltas, weights, values), as Whoosh unpickles it."""
    return loads(_unpickled(block))


def ids_weights(block: Block) -> tuple:
    """(id deltas, weights) of a block without unpickling its values, when its pickle has the
    usual layout; else from the whole tuple."""
    raw = _unpickled(block)
    cut = raw.find(_VALUES_START)
    if cut > 0:
        try:
            ids, weights = loads(raw[:cut] + _TUPLE2_STOP)
        except Exception:
            pass
        else:
            if len(ids) == block.count and (not isinstance(weights, tuple) or len(weights) == block.count):
                return ids, weights
    return tuple(loads(raw)[:2])


def weights_array(weights, count: int) -> np.ndarray:
    """A block's weights as Whoosh's ``weight()`` gives them: float32 where Whoosh expands them
    to array("f") (none stored: 1.0; one float for all), float64 where the block holds a tuple."""
    if weights is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(count, np.float32(weights), dtype=np.float32)
    w = np.asarray(weights)
    return w if w.dtype == np.float32 else w.astype(np.float64)


def ids_and_weights(m, base: int) -> tuple[np.ndarray, np.ndarray]:
    """All document numbers (int64, plus ``base``) and weights of a plain posting list."""
    id_deltas, w_parts, counts = [], [], []
    for block in blocks(m):
        deltas, weights = ids_weights(block)
        id_deltas.append(deltas)
        counts.append(block.count)
        w_parts.append(weights_array(weights, block.count))
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids = restarted_cumsum(np.fromiter(itertools.chain.from_iterable(id_deltas), dtype=np.int64, count=sum(counts)),
                           np.asarray(counts, dtype=np.int64))
    weights = w_parts[0] if len(w_parts) == 1 else np.concatenate(w_parts)
    return ids + base, weights


def restarted_cumsum(deltas: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sums of ``deltas`` restarting at each run of ``counts`` (delta-coded id or
    position lists, one after another, each starting from 0)."""
    sums = np.cumsum(deltas)
    if len(counts) > 1 and len(sums):
        first = np.cumsum(counts) - counts
        sums -= np.repeat(np.concatenate(([0], sums))[first], counts)
    return sums
