"""A faster Whoosh segment writer for rebuilds: postings gathered per term, written in blocks.

Whoosh's ``SegmentWriter`` puts every posting into a pool as a tuple, sorts the
pool, then feeds the postings one by one through the field writer, reading each
document's field length back from the new segment for every posting. Profiling
a Reuters rebuild put about half of the indexing CPU in that per-posting path.

``BulkSegmentWriter`` keeps Whoosh's document path (stored fields, lengths,
``field.index``) and its on-disk format, but collects postings per term as they
arrive (documents come in increasing order, so each term's list is already
sorted), reads the field lengths once per document, and writes each term's
blocks directly. With ``min_compressed = 0`` the files it writes are byte for
byte those of the stock writer for the same documents; by default, posting blocks
too small for zlib to shrink are left uncompressed. ``tests/test_segments.py`` checks both.

Title and body (``schema.FastText``) keep their positions out of Whoosh's blocks: their postings
arrive with their positions lists, the blocks get each list's length (Whoosh's ``Frequency``
value) and the segment's ``.pos`` file the positions (``indexer.engines.whoosh.positions``). So
every segment holding those fields is written here, ``update``'s too: ``add_reader`` merges
segments (their positions read from their ``.pos`` files), and with ``segment_postings`` a writer
closes a segment and starts the next past that many postings, which bounds its memory as
Whoosh's spilling pool did.
"""
from __future__ import annotations

import os
import struct
import zlib
from array import array
from pickle import dumps

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode
from whoosh.writing import SegmentWriter

from indexer.engines.whoosh import positions, postings
from indexer.engines.whoosh.schema import side_positions


class TermPostings:
    """The writer's pool: field → term → [(docnum, weight, value), …] in arrival order.
    Only ``BulkSegmentWriter.add_document`` fills it (no merging, so no ``add``)."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, list]] = {}
        self.count = 0

    def terms_of(self, fieldname: str) -> dict:
        """One field's term table, created on first use so unused fields cost nothing."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def cleanup(self) -> None:
        """Drops the collected postings once flushed (or the writer cancelled), as Whoosh's pool interface expects."""
        self.fields.clear()


class BulkSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with ``TermPostings`` as its pool and a block-at-a-time flush.

    ``min_compressed``: blocks whose pickle is shorter are stored uncompressed (the block
    header says so, and every reader checks it). Whoosh compresses every block, but zlib
    cannot shrink a one-posting pickle, and its per-call setup was a fifth of the time spent
    writing a segment. With frequencies for values (title, body), a one-posting block pickles
    to 60-69 bytes, which zlib leaves as long (62.3 on average, the repository's corpus), and
    longer ones shrink (74 → 67 bytes). With 0, the files are byte for byte Whoosh's.
    """

    min_compressed = 70
    write_positions = True     # also write the segment's ``.pos`` file (indexer.positions)

    def __init__(self, ix, segment_postings: int = 0, **kwargs):
        super().__init__(ix, **kwargs)
        if not isinstance(self.codec, W3Codec):
            raise TypeError(f"BulkSegmentWriter writes the W3 codec only, not {type(self.codec).__name__}")
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise TypeError(f"BulkSegmentWriter does not write vectors or spelling fields ({name})")
        if getattr(self.storage, "folder", None) is None and any(side_positions(f) for _, f in self.schema.items()):
            raise TypeError("BulkSegmentWriter writes positions files beside the segments: a folder index only")
        self.pool = TermPostings()
        self._positions: dict = {}
        self.segment_postings = segment_postings
        self._written: list = []        # segments closed past ``segment_postings``, in order

    @property
    def postings(self) -> int:
        """Postings collected so far, for deciding when a segment is full."""
        return self.pool.count

    def add_reader(self, reader):
        """Merge a segment (Whoosh's merge policies call this): its live documents' stored
        fields and lengths as Whoosh copies them, then its postings, positions from its
        ``.pos`` file for the fields that keep them there."""
        self._check_state()
        basedoc = self.docnum
        indexed = {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | indexed, reader)
        side = positions.for_leaf(reader, {})
        added = 0
        for fieldname in sorted(indexed):
            field = self.schema[fieldname]
            from_side = side_positions(field)
            if from_side and side is None:
                raise ValueError(f"segment {reader._segment.segment_id()} has no positions file for {fieldname}")
            terms = self.pool.terms_of(fieldname)
            for tbytes in reader.lexicon(fieldname):
                kept = _merged_postings(reader, side if from_side else None, fieldname, tbytes, basedoc, docmap)
                if kept:
                    entry = terms.get(tbytes)
                    if entry is None:
                        terms[tbytes] = kept
                    else:
                        entry.extend(kept)
                    added += len(kept)
        self.pool.count += added
        self._added = True

    def add_document(self, **fields):
        """``SegmentWriter.add_document`` with the postings appended straight to their terms."""
        self._check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        added = 0
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    terms = pool.terms_of(fieldname)
                    into = getattr(field, "postings_into", None)
                    if into is not None:
                        freqs, count = into(value, terms, docnum, fieldboost)
                    else:
                        freqs = count = 0
                        for tbytes, freq, weight, vbytes in field.index(value):
                            terms.setdefault(tbytes, []).append((docnum, weight * fieldboost, vbytes))
                            freqs += freq
                            count += 1
                    added += count
                    if field.scorable:
                        length = freqs
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            self._drop_postings_of(docnum)
            raise
        perdocwriter.finish_doc()
        pool.count += added
        self._added = True
        self.docnum += 1
        if self.segment_postings and pool.count >= self.segment_postings:
            self._next_segment()

    def _next_segment(self) -> None:
        """Close the segment being written and start another, as ``SegmentWriter.__init__`` starts one."""
        self._written.append(self._finalize_segment())
        codec = self.codec
        self.newsegment = codec.new_segment(self.storage, self.indexname)
        self.compound = self.compound and self.newsegment.should_assemble()
        self.perdocwriter = codec.per_document_writer(self.storage, self.newsegment)
        self.fieldwriter = codec.field_writer(self.storage, self.newsegment)
        self.pool = TermPostings()
        self.docnum = self.docbase = 0
        self._added = False

    def _merge_segments(self, mergetype, optimize, merge):
        """Whoosh's merge policy over the index's segments, then the segments this writer has
        already closed (``segment_postings``): the commit lists them before the one being written."""
        return super()._merge_segments(mergetype, optimize, merge) + self._written

    def _drop_postings_of(self, docnum: int) -> None:
        """Undo a failed document's postings (always the last ones appended to each term)."""
        for terms in self.pool.fields.values():
            for tbytes in [t for t, e in terms.items() if e[-1][0] == docnum]:
                postings = terms[tbytes]
                while postings and postings[-1][0] == docnum:
                    postings.pop()
                if not postings:
                    del terms[tbytes]

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self._field_lengths()
        fieldwriter = self.fieldwriter
        blocks = _BlockWriter(fieldwriter, self.codec, self.min_compressed)
        can_write = self.write_positions and getattr(self.storage, "folder", None) is not None
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            if not terms:
                continue
            field = self.schema[fieldname]
            fieldwriter.start_field(fieldname, field)
            blocks.start_field(fieldwriter, lengths.get(fieldname))
            if side_positions(field) or (can_write and type(field.format) is formats.Positions):
                found = positions.FieldPositions()
                for tbytes in sorted(terms):
                    blocks.write_term(tbytes, terms[tbytes], found)
                self._positions[fieldname] = found.arrays()
            else:
                for tbytes in sorted(terms):
                    blocks.write_term(tbytes, terms[tbytes])
            fieldwriter.finish_field()
        fieldwriter.close()
        self.pool.cleanup()

    def _finalize_segment(self):
        """Whoosh's, then the segment's ``.pos`` file beside its (compound) segment file."""
        segment = super()._finalize_segment()
        if self._positions:
            positions.write(os.path.join(self.storage.folder, segment.make_filename(positions.EXT)),
                            segment.segment_id(), self._positions)
            self._positions = {}
        return segment

    def _field_lengths(self) -> dict[str, list]:
        """Per scored field, what the stock flush reads back for each document: the length
        as stored (one byte, approximate), or None where that byte is 0."""
        out = {}
        if not self.codec.length_stats:
            return out
        reader = self.per_document_reader()
        try:
            ndocs = self.docnum - self.docbase
            for fieldname, terms in self.pool.fields.items():
                if not terms or not self.schema[fieldname].scorable:
                    continue
                dfl = reader.doc_field_length
                out[fieldname] = [dfl(d, fieldname) for d in range(ndocs)]
        finally:
            reader.close()
        return out


class _BlockWriter:
    """Writes one term's postings and its term-info row as W3FieldWriter/W3PostingsWriter
    would after a run of ``add_posting`` calls: full blocks of ``blocklimit`` (the final one
    marked last), each a pickled (delta ids, weights, values) tuple compressed with the
    codec's zlib level, headed by its pickled statistics; then the term's W3TermInfo.
    Same bytes, without the per-posting and per-block method calls."""

    def __init__(self, fieldwriter, codec, min_compressed: int = 0):
        self.min_compressed = min_compressed
        self.postfile = fieldwriter._postfile
        self.tindex = fieldwriter._tindex
        self.limit = codec._blocklimit
        self.compression = codec._compression
        self.prefix = b""
        self.lengths = None
        self.fixedsize = None
        self.counts_only = False

    def start_field(self, fieldwriter, lengths) -> None:
        """The field the next terms belong to; a field keeping its positions in ``.pos``
        (``schema.FastText``) brings positions lists, its blocks get their lengths."""
        self.prefix = pack_ushort(fieldwriter._fieldid)
        self.lengths = lengths
        self.fixedsize = fieldwriter._format.fixed_value_size()
        self.counts_only = side_positions(fieldwriter._fieldobj)

    def write_term(self, tbytes: bytes, postings: list, sink=None) -> None:
        """Writes the term; ``sink`` (an ``indexer.positions.FieldPositions``) is told where its
        posting list starts and given each block's columns."""
        postfile, limit, comp, lengths, fixedsize = self.postfile, self.limit, self.compression, self.lengths, \
            self.fixedsize
        info = W3TermInfo()
        start = postfile.tell()
        if sink is not None:
            sink.start_term(start)
        postfile.write(WHOOSH3_HEADER_MAGIC)
        n = len(postings)
        for first in range(0, n, limit):
            last = min(first + limit, n)
            docs, weights, values = zip(*postings[first:last]) if last - first > 1 else \
                ((postings[first][0],), (postings[first][1],), (postings[first][2],))
            if sink is not None:
                sink.add_block(docs, weights, values)
            stored_weights = array("f", weights)
            maxweight = max(0, max(weights))
            if lengths is not None:
                known = [x for x in (lengths[d] for d in docs) if x]
                minlength = min(known) if known else None
                maxlength = max(0, max(known)) if known else 0
            else:
                minlength, maxlength = None, 0

            # TermInfo.add_block
            info._weight += sum(stored_weights)
            info._df += len(docs)
            info._minlength = minlength if info._minlength is None else min(info._minlength, minlength)
            info._maxlength = max(info._maxlength, maxlength)
            info._maxweight = max(info._maxweight, maxweight)
            if info._minid is None:
                info._minid = docs[0]
            info._maxid = docs[-1]

            # W3PostingsWriter._write_block
            if all(w == 1.0 for w in stored_weights):
                mini_weights = None
            elif all(w == stored_weights[0] for w in stored_weights):
                mini_weights = stored_weights[0]
            else:
                mini_weights = tuple(stored_weights)
            if self.counts_only:
                # Whoosh's Frequency value: pack_uint(frequency), one after another
                mini_values = struct.pack(">%dI" % len(values), *map(len, values))
            elif fixedsize is None or fixedsize < 0:
                mini_values = tuple(v for v in values if v)
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = b"".join(v for v in values if v)
            databytes = dumps((tuple(delta_encode(docs)), mini_weights, mini_values), 2)
            if comp and len(databytes) >= self.min_compressed:
                databytes = zlib.compress(databytes, comp)
                block_comp = comp
            else:
                block_comp = 0
            infobytes = dumps((len(docs), docs[-1], maxweight, block_comp, length_to_byte(minlength),
                               length_to_byte(maxlength)), 2)
            blocklength = len(infobytes) + len(databytes)
            postfile.write(pack_int(-blocklength if last == n else blocklength))
            postfile.write(infobytes)
            postfile.write(databytes)
        info.set_extent(start, postfile.tell() - start)
        self.tindex.add(self.prefix + tbytes, info.to_bytes())


def _merged_postings(reader, side, fieldname: str, tbytes: bytes, basedoc: int, docmap) -> list:
    """One term's postings in a merged segment, as this writer's pool holds them: (new document
    number, weight, value) of the live documents, the value the positions list when ``side``
    (the segment's ``.pos`` file) holds the field's positions."""
    if side is None:
        m = reader.postings(fieldname, tbytes)      # deleted documents left out
        found = []
        while m.is_active():
            found.append((m.id(), m.weight(), m.value()))
            m.next()
    else:
        stored = postings.lookup(reader, fieldname, tbytes)
        if stored is None or stored is NotImplemented:
            raise ValueError(f"segment {reader._segment.segment_id()}: {fieldname} is not in the expected format")
        ids, weights = postings.ids_and_weights(stored, 0)      # every posting, as the .pos file has them
        at = side.term(fieldname, stored.offset, len(ids))
        if at is None:
            raise ValueError(f"the positions file of segment {reader._segment.segment_id()} lacks a term of {fieldname}")
        flat = at.positions.tolist()
        ends = np.cumsum(at.counts).tolist()
        found = zip(ids.tolist(), weights.tolist(), [flat[a:b] for a, b in zip([0] + ends[:-1], ends)])
    if docmap is None:
        return [(basedoc + d, w, v) for d, w, v in found]
    return [(docmap[d], w, v) for d, w, v in found if d in docmap]
