"""Comments crowded past what anyone writes, and what they count (read in core/reading.py).

- More than ``MAX_CANDIDATES`` lines that read like a token: no approval among them counts (a
  person writes a handful); every denial the page shows still counts, each read from the page,
  and nothing else is read (no line is asked about: a block that shows no denial is passed
  over, and a line no denial is placed on is refused as crowded, not read one by one: 4,000
  near-miss lines were read in 36-73 ms).
- More than ``MAX_SHOWN_DENIALS`` lines shown starting ``User denied:``: the page is read no
  further (core/shown.py stops there), and the comment is read as ``User denied: everything``:
  it blocks every operation (whoever may deny), which holds whatever denial the rest of it may
  show, so none is lost; no approval in it counts. Each such line costs its own reading: 3,000
  of them, each a different denial, made a 65 KB comment cost 50 ms, past the 30 ms a comment
  may take (benchmarks/token_scan.md).

Pure: plain data in, line verdicts out.
"""

from __future__ import annotations

from operator import attrgetter

from applygate.core.reasons import Reason
from applygate.core.token import Kind, ScannedLine, Token

MAX_CANDIDATES = 64
MAX_SHOWN_DENIALS = 256
# what such a comment is read as: a generic scope, with which a denial blocks every operation
EVERYTHING = Token(Kind.DENIAL, "everything")

CROWDED = Reason(
    "crowded",
    f"more than {MAX_CANDIDATES} token-like lines in one comment: no approval among them counts, "
    "and no line is read one by one (a denial the comment shows counts where it is shown)",
)


def crowded_line(number: int, line: str, kind: Kind) -> ScannedLine:
    """A token-like line of a crowded comment that no shown denial took: refused unread."""
    return ScannedLine(number, line, kind, rejection=CROWDED)


def denies_everything(lines: list[str], candidates: dict[int, Kind], at: int) -> list[ScannedLine]:
    """A comment whose page showed more than ``MAX_SHOWN_DENIALS`` lines starting a denial, the
    last of them on (or about) source line ``at``: a denial of everything there, and every
    token-like line refused (not read: the comment denies every operation already)."""
    at = min(max(at, 1), len(lines))
    why = Reason(
        "denies-everything",
        f"the comment shows more than {MAX_SHOWN_DENIALS} lines starting 'User denied:': read "
        f"no further, it denies every operation (read as 'User denied: everything', line {at})",
    )
    found = [ScannedLine(n, lines[n - 1], kind, rejection=why) for n, kind in candidates.items()]
    found.append(ScannedLine(at, lines[at - 1], Kind.DENIAL, token=EVERYTHING))
    return sorted(found, key=attrgetter("number"))
