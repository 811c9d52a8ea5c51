"""Reuters-21578 ×N as .sgm files the Reuters reader reads: the scale corpus for the benchmark.

Copy k holds the 22 ``reut2-*.sgm`` files with every ``<DATE>`` year shifted by k×5 years, so
each copy's (title, date, text) is distinct and nothing is flagged duplicate across copies
(copy 0 is the original). Article ids differ too: they come from the file path under the
scanned root (``copy-k/reut2-000.sgm``) and the NEWID.

    python bench/scale_corpus.py [--copies 5] [--out bench/data/reuters-x5]

The output is corpus text: it lives under bench/data/ (git-ignored) and is never committed.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("NEWSFACET_SHARED") or HERE.parent.parent / "shared")
REUTERS = SHARED / "corpus" / "reuters21578"
YEARS_PER_COPY = 5
_DATE = re.compile(rb"(<DATE>\s*\d{1,2}-[A-Za-z]{3}-)(\d{4})")


def shift_years(data: bytes, years: int) -> bytes:
    if not years:
        return data
    return _DATE.sub(lambda m: m.group(1) + str(int(m.group(2)) + years).encode(), data)


def write_copies(out: Path, copies: int = 5, source: Path = REUTERS) -> Path:
    """Writes ``out/copy-k/reut2-*.sgm`` for k < copies (skipped when already complete); returns ``out``."""
    files = sorted(source.glob("reut2-*.sgm"))
    if not files:
        raise SystemExit(f"no Reuters-21578 files under {source}")
    marker = out / f".complete-{copies}"
    if marker.exists():
        return out
    for k in range(copies):
        folder = out / f"copy-{k}"
        folder.mkdir(parents=True, exist_ok=True)
        for f in files:
            (folder / f.name).write_bytes(shift_years(f.read_bytes(), k * YEARS_PER_COPY))
    for extra in out.glob("copy-*"):
        if int(extra.name.split("-")[1]) >= copies:
            for f in extra.iterdir():
                f.unlink()
            extra.rmdir()
    marker.write_text("ok\n")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "data" / "reuters-x5")
    args = ap.parse_args(argv)
    out = write_copies(args.out, args.copies)
    n = sum(1 for _ in out.glob("copy-*/reut2-*.sgm"))
    print(f"{n} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
