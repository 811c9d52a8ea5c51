"""Write a hostile corpus: broken, huge, binary and tricky files mixed with good articles.

Used by tests/test_hostile.py (a few hundred files) and bench/fuzz.py (thousands).
Every file is classified in the returned manifest:

- ``good``: a readable article that must be indexed (its unique token must be searchable);
- ``bad``: a file that must be skipped and appear in the skip report with a reason;
- ``odd``: a file that may be indexed best-effort or skipped, but must not break the build
  (truncated HTML, wrong encodings, invalid bytes in the middle).

    python bench/hostile_corpus.py DIR [--files N] [--seed S]
"""
from __future__ import annotations

import argparse
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("market trade talks minister bank prices oil wheat grain election strike harvest budget "
         "deficit shares export tariff currency rates report officials agreement summit").split()


@dataclass
class Manifest:
    good: dict[str, str] = field(default_factory=dict)     # file → unique token in its text
    bad: dict[str, str] = field(default_factory=dict)      # file → what is wrong with it
    odd: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)  # not article files at all (loops, other suffixes)

    def to_json(self) -> dict:
        return {"good": self.good, "bad": self.bad, "odd": self.odd, "ignored": self.ignored}


def _prose(rng: random.Random, n: int) -> str:
    sentences = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _token(i: int) -> str:
    """A unique, searchable word per good file (letters only, so stemming leaves it alone)."""
    letters = "bcdfghjklmnpqrstvwxz"
    out, n = [], i + 1
    while n:
        n, r = divmod(n, len(letters))
        out.append(letters[r])
    return "zq" + "".join(out) + "zq"


def _good(rng, i, folder) -> tuple[str, str]:
    token = _token(i)
    kind = i % 5
    body = f"{_prose(rng, 3)} The {token} report was published. {_prose(rng, 2)}"
    date = f"20{rng.randint(0, 23):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == 0:
        name = f"good{i}.txt"
        (folder / name).write_text(f"Breaking News\n\nStory {token} on trade - {date}\n\n{body}\n")
    elif kind == 1:
        name = f"good{i}.html"
        (folder / name).write_text(
            f"<html><head><title>Story {token}</title><meta property='article:published_time' "
            f"content='{date}'></head><body><nav>Home | News</nav><article><h1>Story {token}</h1>"
            f"<p>{body}</p></article><footer>Copyright</footer></body></html>")
    elif kind == 2:
        name = f"good{i}.json"
        (folder / name).write_text(json.dumps({"title": f"Story {token}", "date": date, "body": body}))
    elif kind == 3:
        name = f"good{i}.jsonl"
        (folder / name).write_text(json.dumps({"title": f"Story {token}", "date": date, "text": body}) + "\n")
    else:
        name = f"good{i}.txt"
        (folder / name).write_bytes(f"Story {token} in Montréal\n\n{body} Café.\n".encode("latin-1"))
    return name, token


def _bad(rng, i, folder, big_mb: int) -> tuple[str, str]:
    kind = i % 9
    if kind == 0:
        name, why = f"bad{i}.txt", "random bytes"
        (folder / name).write_bytes(os.urandom(rng.randint(100, 20000)))
    elif kind == 1:
        name, why = f"bad{i}.txt", "zero length"
        (folder / name).write_bytes(b"")
    elif kind == 2:
        name, why = f"bad{i}.html", "random bytes as HTML"
        (folder / name).write_bytes(b"<html>" + os.urandom(5000))
    elif kind == 3:
        name, why = f"bad{i}.json", "JSON with wrong types"
        (folder / name).write_text(json.dumps(rng.choice([
            {"title": 5, "body": None}, {"title": ["a"], "body": {"x": 1}}, [1, 2, 3], "just a string",
            {"title": None, "text": 17}, {"nothing": "here"}])))
    elif kind == 4:
        name, why = f"bad{i}.json", "invalid JSON"
        (folder / name).write_text('{"title": "x", "body": "unterminated')
    elif kind == 5:
        name, why = f"bad{i}.sgm", "SGML with no articles"
        (folder / name).write_text("<REUTERS><DATE>garbage</DATE><TEXT>" + "<" * 100)
    elif kind == 6:
        name, why = f"bad{i}.txt", "NUL bytes"
        (folder / name).write_bytes(b"Title\n\n" + b"\x00" * 3000 + b"text" + b"\x00" * 3000)
    elif kind == 7:
        name, why = f"bad{i}.html", "markup without text"
        (folder / name).write_text("<html><head><script>var x = 1;</script><style>p{}</style></head>"
                                   "<body><nav><a href='/'>Home</a></nav></body></html>")
    else:
        name, why = f"bad{i}.txt", "whitespace only"
        (folder / name).write_text(" \n\t\n \r\n" * 50)
    return name, why


def _odd(rng, i, folder) -> tuple[str, str]:
    kind = i % 5
    body = _prose(rng, 4)
    if kind == 0:
        name, why = f"odd{i}.html", "truncated HTML"
        (folder / name).write_text(f"<html><head><title>Cut story</title></head><body><article><p>{body}"[:300])
    elif kind == 1:
        name, why = f"odd{i}.html", "deeply nested tags"
        depth = rng.choice([500, 5000, 50000])
        (folder / name).write_text("<html><body>" + "<div>" * depth + f"<p>{body}</p>" + "</div>" * depth)
    elif kind == 2:
        name, why = f"odd{i}.txt", "invalid UTF-8 in the middle"
        (folder / name).write_bytes(f"Story with a bad byte\n\n{body}".encode() + b"\xff\xfe\xc3" +
                                    f" {body}".encode())
    elif kind == 3:
        name, why = f"odd{i}.txt", "mixed encodings"
        (folder / name).write_bytes("Mixed café story\n\n".encode("utf-8") + "Ça coûte cher. ".encode("latin-1")
                                    + body.encode("utf-16-le"))
    else:
        name, why = f"odd{i}.sgm", "SGML with missing tags"
        (folder / name).write_text(f"<REUTERS NEWID=\"1\"><TITLE>No body here</TITLE></REUTERS>"
                                   f"<REUTERS NEWID=\"2\"><DATE>1-MAR-1987</DATE><TEXT><BODY>{body}"
                                   f"<REUTERS NEWID=\"3\"><TEXT><TITLE>Three</TITLE><BODY>{body}</BODY></TEXT>"
                                   f"</REUTERS>")
    return name, why


def generate(folder: Path, files: int = 1000, seed: int = 1, big_mb: int = 50) -> Manifest:
    """Write about ``files`` files into ``folder``: ~50% good, ~35% bad, ~15% odd, plus the specials."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    m = Manifest()
    n_good, n_bad = files // 2, files * 35 // 100
    n_odd = max(0, files - n_good - n_bad - 3)
    for i in range(n_good):
        name, token = _good(rng, i, folder)
        m.good[name] = token
    for i in range(n_bad):
        name, why = _bad(rng, i, folder, big_mb)
        m.bad[name] = why
    for i in range(n_odd):
        name, why = _odd(rng, i, folder)
        m.odd[name] = why
    # specials: a huge text file (written in blocks, never held in memory), a symlink loop, an unreadable file
    big = folder / "huge.txt"
    with open(big, "wb") as fh:
        fh.write(b"A huge file\n\n")
        block = (_prose(rng, 20) + "\n\n").encode() * 200
        written = 0
        while written < big_mb * 1024 * 1024:
            fh.write(block)
            written += len(block)
    m.bad["huge.txt"] = f"{big_mb} MB text file"
    loop = folder / "loop"
    loop.mkdir(exist_ok=True)
    if not (loop / "again").is_symlink():
        os.symlink("..", loop / "again")
    m.ignored["loop/again"] = "symlink loop"
    locked = folder / "locked.txt"
    locked.write_text("Locked story\n\nNobody may read this.\n")
    os.chmod(locked, 0)
    if os.geteuid() == 0:
        m.odd["locked.txt"] = "unreadable permissions (root reads it anyway)"
    else:
        m.bad["locked.txt"] = "unreadable permissions"
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    m.ignored["notes.csv"] = "not an article suffix"
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big-mb", type=int, default=50)
    args = ap.parse_args()
    m = generate(Path(args.dir), args.files, args.seed, args.big_mb)
    print(json.dumps({k: len(v) for k, v in m.to_json().items()}))


if __name__ == "__main__":
    main()
