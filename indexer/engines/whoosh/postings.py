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
import re
import zlib
from pickle import load, loads
from typing import Iterator, NamedTuple, Optional

import numpy as np

_MAGIC_BYTES = 4                      # WHOOSH3_HEADER_MAGIC before the first block
_INT_BYTES = 4                        # each block starts with its length, big-endian signed int
_MAX_HEADER_BYTES = 128               # then its info tuple pickled: 6 numbers, under 50 bytes
# Protocol 2 pickles bytes as _codecs.encode(text, "latin1"): the first value of a block's value
# tuple (MARK, then this GLOBAL), or the block's one bytes object of fixed-size values (Whoosh's
# Frequency: this GLOBAL alone), is where the ids and weights end.
_VALUES_START = b"(c_codecs\nencode\n"
_BYTES_START = _VALUES_START[1:]
_TUPLE2_STOP = b"\x86."


class Block(NamedTuple):
    """One posting block's header and raw bytes, read without building Whoosh's matcher."""
    count: int                        # postings in the block
    maxid: int                        # the block's last document number (segment-local)
    compression: int                  # zlib level, 0 when not compressed
    data: memoryview                  # the data pickle as stored


class Stored(NamedTuple):
    """Where a posting list lies in a segment's postings file."""
    postfile: object
    offset: int
    length: int
    postings: int = -1                # how many (from the term info; -1 when not known)


def lookup(leaf, fieldname: str, text):
    """How one segment holds a term's postings, without opening a matcher (which reads the
    first block's header from the file in a dozen small reads): None when the segment hasn't
    the term, else a ``Stored`` extent, or NotImplemented for a segment that isn't a Whoosh 3
    one or postings inlined in the term dictionary (which Whoosh 2.7's writer never does: open
    a matcher then). Deleted documents are not filtered out (callers mask with the live ones)."""
    from whoosh.codec.whoosh3 import W3TermsReader
    from whoosh.reading import SegmentReader, TermNotFound
    terms = getattr(leaf, "_terms", None)
    if type(leaf) is not SegmentReader or type(terms) is not W3TermsReader:
        return NotImplemented
    if fieldname not in leaf.schema:
        return None
    try:
        info = terms.term_info(fieldname, leaf._text_to_bytes(fieldname, text))
    except TermNotFound:
        return None
    if info.is_inlined():
        return NotImplemented
    offset, length = info.extent()
    return Stored(terms._postfile, offset, length[0] if isinstance(length, tuple) else length, info.doc_frequency())


def blocks(source: Stored) -> Iterator[Block]:
    """Every block of a stored posting list."""
    start, extent = source.offset, source.length
    buf, pos = b"", _MAGIC_BYTES
    while True:
        if pos + _INT_BYTES > len(buf):           # past the extent read so far: read on
            buf = source.postfile.get(start, max(extent, pos + _INT_BYTES))
        length = int.from_bytes(buf[pos:pos + _INT_BYTES], "big", signed=True)
        last = length < 0
        end = pos + _INT_BYTES + abs(length)
        if end > len(buf):
            buf = source.postfile.get(start, max(extent, end))
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
    return Unpacked(block).ids_weights()


class Unpacked:
    """One block's data pickle: its ids and weights, and the values of chosen postings, each
    read without unpickling the rest when the layout allows. A compressed block is inflated
    only as far as needed: ids and weights come first, and are most often all a word needs."""

    __slots__ = ("count", "_head", "_inflater", "_pending", "_cut", "_whole")

    def __init__(self, block: Block):
        self.count = block.count
        self._cut = None
        self._whole = None
        if block.compression:
            self._head, self._inflater, self._pending = b"", zlib.decompressobj(), block.data
        else:
            self._head, self._inflater, self._pending = bytes(block.data), None, b""

    def _inflate(self, upto: Optional[int] = None) -> None:
        """Decompress at least ``upto`` bytes of the pickle (all of it when None)."""
        z = self._inflater
        if z is None:
            return
        if upto is None:
            self._head += z.decompress(self._pending) + z.flush()
            self._inflater, self._pending = None, b""
            return
        if len(self._head) < upto:
            chunk = z.decompress(self._pending, upto - len(self._head))
            self._pending = z.unconsumed_tail
            self._head += chunk
            if not self._pending:
                self._head += z.flush()
                self._inflater = None

    @property
    def raw(self) -> bytes:
        """The whole data pickle."""
        self._inflate()
        return self._head

    @property
    def cut(self) -> int:
        """Where the values begin in the pickle (-1 when it isn't the usual layout)."""
        if self._cut is None:
            want = self.count * 16 + 64        # ids and weights: up to about 14 bytes a posting
            while True:
                self._inflate(want)
                self._cut = self._head.find(_BYTES_START)
                if self._cut > 0 and self._head[self._cut - 1:self._cut] == b"(":
                    self._cut -= 1
                if self._cut >= 0 or self._inflater is None:
                    break
                want *= 2
        return self._cut

    def whole(self) -> tuple:
        """The block's full data, unpickled once and only when values are needed."""
        if self._whole is None:
            self._whole = loads(self.raw)
        return self._whole

    def ids_weights(self) -> tuple:
        """Ids and weights without unpickling the values, the cheap read most queries need."""
        cut = self.cut
        if cut > 0:
            try:
                ids, weights = loads(self._head[:cut] + _TUPLE2_STOP)
            except Exception:
                pass
            else:
                if len(ids) == self.count and (not isinstance(weights, tuple) or len(weights) == self.count):
                    return ids, weights
        return tuple(self.whole()[:2])

    def value_texts(self, wanted: list[int], from_text: bool = True) -> tuple[list[bytes], bool]:
        """The values of the postings at indices ``wanted``, each as the UTF-8 text of its
        latin-1 decoding (the form the block's pickle holds it in: see ``positions_of``), and
        whether they could be read from the pickle's text (else it was unpickled: callers
        reading many blocks of one list stop trying, with ``from_text`` False)."""
        if from_text and self.cut > 0:
            found = _value_texts(self.raw, self.cut, self.count, wanted)
            if found is not None:
                return found, True
        values = self.whole()[2]
        return [values[i].decode("latin-1").encode("utf-8") for i in wanted], False


# Each value of a position format is pack_uint(count) + a protocol 2 pickle of a list, stored in
# the block as the latin-1 text of those bytes, UTF-8 encoded (BINUNICODE: "X", 4-byte length):
# a count under 65536 (two zero bytes, two bytes of one or two UTF-8 bytes each), then PROTO 2
# (\x80 → \xc2\x80, \x02), EMPTY_LIST, BINPUT 0. Positions (K, M and J arguments) can't make
# that run, so each match is the start of one value's text.
_VALUE_TEXT = re.compile(rb"X(....)(?=\x00\x00(?:[\x00-\x7f]|[\xc2\xc3][\x80-\xbf]){2}\xc2\x80\x02\]q\x00)", re.S)
def _value_texts(raw: bytes, cut: int, count: int, wanted: list[int]):
    """The texts of the values at indices ``wanted``, read from the block's pickle, or None when
    there isn't one text per posting (values shared through the pickle memo, as a writer that
    reuses one bytes object for equal values makes: that pickle unpickles fast anyway)."""
    # [before, length 0, text 0 + after, length 1, text 1 + after, …]
    parts = _VALUE_TEXT.split(raw[cut:])
    if len(parts) != 2 * count + 1:
        return None
    return [parts[2 * i + 2][:int.from_bytes(parts[2 * i + 1], "little")] for i in wanted]


_SIGNATURE = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)     # PROTO 2, EMPTY_LIST, BINPUT 0
_K, _M, _J = 0x4B, 0x4D, 0x4A                                     # BININT1, BININT2, BININT
_MAX_VECTOR_ITEMS = 32      # longer position lists are unpickled one by one


def positions_of(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(positions per value, all positions) of Whoosh ``Positions`` values given as the UTF-8
    text of their latin-1 decoding, decoded together: each value is pack_uint(count) then the
    protocol 2 pickle of its position deltas, a list of BININT1/2/4 items, which numpy reads
    item by item across all values at once. Anything unexpected is unpickled value by value."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return _decode_positions(b"".join(texts).decode("utf-8").encode("latin-1"), len(texts),
                             lambda: _positions_one_by_one(texts))


def raw_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """``positions_of`` for ``Positions`` values as their own bytes (as a writer holds them)."""
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return _decode_positions(b"".join(values), len(values),
                             lambda: _positions_one_by_one([v.decode("latin-1").encode("utf-8") for v in values]))


def _decode_positions(joined: bytes, n: int, one_by_one) -> tuple[np.ndarray, np.ndarray]:
    """(counts, positions) of ``n`` values one after another in ``joined``; ``one_by_one()``
    when they aren't all in the layout numpy reads."""
    buf = np.frombuffer(joined + b"\0\0\0\0", dtype=np.uint8)      # padded: reads past an item stay in
    size = len(joined)
    hit = np.ones(size - 4, dtype=bool) if size > 4 else np.zeros(0, dtype=bool)
    for k, byte in enumerate(_SIGNATURE):
        hit &= buf[k:k + size - 4] == byte
    sig = np.flatnonzero(hit)
    # The signature can't occur inside a value (see _VALUE_TEXT); each value has it at byte 4.
    if len(sig) != n or sig[0] != 4 or buf[sig - 4].any() or buf[sig - 3].any():
        return one_by_one()
    counts = buf[sig - 2].astype(np.int64) * 256 + buf[sig - 1]
    at = sig + 5 + (counts > 1)                  # a list of two or more opens with MARK
    if ((counts > 1) & (buf[sig + 5] != ord("("))).any():
        return one_by_one()
    deltas = np.zeros(int(counts.sum()), dtype=np.int64)
    out_at = np.cumsum(counts) - counts
    active = np.flatnonzero((counts > 0) & (counts <= _MAX_VECTOR_ITEMS))
    item = 0
    while len(active):
        p = at[active]
        op = buf[p]
        b1, b2 = buf[p + 1].astype(np.int64), buf[p + 2].astype(np.int64)
        is_k, is_m, is_j = op == _K, op == _M, op == _J
        if not (is_k | is_m | is_j).all():
            return one_by_one()
        value = np.where(is_k, b1, b1 | (b2 << 8))
        if is_j.any():
            value = np.where(is_j, value | (buf[p + 3].astype(np.int64) << 16) | (buf[p + 4].astype(np.int64) << 24),
                             value)
        deltas[out_at[active] + item] = value
        at[active] = p + np.where(is_k, 2, np.where(is_m, 3, 5))
        item += 1
        active = active[counts[active] > item]
    done = (counts > 0) & (counts <= _MAX_VECTOR_ITEMS)
    ends = buf[at[done]]                          # APPEND ("a") after one item, APPENDS ("e") after more
    if (ends != np.where(counts[done] > 1, ord("e"), ord("a"))).any():
        return one_by_one()
    starts = np.append(sig - 4, size)
    for i in np.flatnonzero(counts > _MAX_VECTOR_ITEMS).tolist():
        deltas[out_at[i]:out_at[i] + counts[i]] = loads(joined[starts[i] + 4:starts[i + 1]])
    return counts, restarted_cumsum(deltas, counts)


def _positions_one_by_one(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    lists = [loads(t.decode("utf-8").encode("latin-1")[4:]) for t in texts]
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    deltas = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    return counts, restarted_cumsum(deltas, counts)


def weights_array(weights, count: int) -> np.ndarray:
    """A block's weights as Whoosh's ``weight()`` gives them: float32 where Whoosh expands them
    to array("f") (none stored: 1.0; one float for all), float64 where the block holds a tuple."""
    if weights is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(count, np.float32(weights), dtype=np.float32)
    w = np.asarray(weights)
    return w if w.dtype == np.float32 else w.astype(np.float64)


def ids_and_weights(source: Stored, base: int) -> tuple[np.ndarray, np.ndarray]:
    """All document numbers (int64, plus ``base``) and weights of a stored posting list."""
    id_deltas, w_parts, counts = [], [], []
    for block in blocks(source):
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


def term_postings(gen, searcher, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers int32, weights) of one term over all segments, read in bulk (see
    ``lookup``) and cached in the generation's MatchCache (ids under (field, text),
    weights under ("weights", field, text)). Weights keep the postings' float32 where
    Whoosh has them as float32."""
    key = ("weights", fieldname, text)
    ids = gen.cache.get_term((fieldname, text))
    weights = gen.cache.get_term(key)
    if ids is not None and weights is not None and len(ids) == len(weights):
        return ids, weights
    id_parts, w_parts = [], []
    for reader, base in searcher.reader().leaf_readers():
        found = lookup(reader, fieldname, text)
        if found is None:
            continue
        if found is not NotImplemented:
            ids_part, w_part = ids_and_weights(found, base)
        else:
            try:
                m = reader.postings(fieldname, text)
            except Exception:      # TermNotFound, or a field this segment doesn't have
                continue
            ids_l, w_l = [], []
            while m.is_active():
                ids_l.append(m.id())
                w_l.append(m.weight())
                m.next()
            ids_part = np.array(ids_l, dtype=np.int64) + base
            w_part = np.array(w_l, dtype=np.float64)
        id_parts.append(ids_part)
        w_parts.append(w_part)
    if id_parts:
        ids = np.concatenate(id_parts).astype(np.int32)
        weights = np.concatenate(w_parts)
    else:
        ids, weights = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
    gen.cache.put_term((fieldname, text), ids)
    gen.cache.put_term(key, weights)
    return ids, weights
