"""The index format follows the facet specs: the fields both engines write come from each values
facet's name, kind, lookup and number of values (and the facet the text is analysed by), so changing those is a new INDEX_FORMAT (an older
index is then refused in one line, tests/engines/test_contract.py), never a silent change."""
from __future__ import annotations

from indexer import facets
from indexer.engines.base import INDEX_FORMAT

# The fields of each format, as the specs gave them: record a new line with each new format.
FIELDS_OF_FORMAT = {
    2: "country:countries:-:multi person:names:last:multi org:names:word:multi author:names:last:multi",
    3: "country:countries:-:multi person:names:last:multi org:names:word:multi author:names:last:multi "
       "story:keywords:-:one",
    4: "country:countries:-:multi person:names:last:multi org:names:word:multi author:names:last:multi "
       "language:keywords:-:one:text story:keywords:-:one",
    5: "country:countries:-:multi person:names:last:multi org:names:word:multi author:names:last:multi "
       "language:keywords:-:one:text story:keywords:-:one",        # the same fields; positions moved
}


def test_the_specs_give_the_fields_of_this_index_format():
    fields = " ".join(f"{s.name}:{s.kind}:{s.lookup or '-'}:{'multi' if s.multi else 'one'}"
                      + (":text" if s.text_language else "") for s in facets.VALUE_FACETS)
    assert FIELDS_OF_FORMAT.get(INDEX_FORMAT) == fields, (
        "the facet specs change the index fields: raise INDEX_FORMAT in indexer/engines/base.py and "
        f"record {INDEX_FORMAT + 1}: {fields!r} here")


def test_a_refusal_names_what_a_rebuild_adds():
    from indexer.engines.base import FORMAT_ADDS, format_gains
    assert set(FORMAT_ADDS) == set(range(2, INDEX_FORMAT + 1))      # each new format says what it adds
    assert format_gains(INDEX_FORMAT) == ""
    assert format_gains(INDEX_FORMAT - 1) == FORMAT_ADDS[INDEX_FORMAT]
    told = [FORMAT_ADDS[n] for n in sorted(FORMAT_ADDS)]
    assert format_gains(1) == ", ".join(told[:-1]) + " and " + told[-1]     # "a, b and c", oldest first
