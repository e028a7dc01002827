"""Table rows as transcript lines: transcribers often deliver a turn per row,
as (speaker, words) or (time, speaker, words)."""

import re

from ..turns import STAMP

STAMP_CELL = re.compile(rf"^[\[(]?{STAMP}[\])]?$")
LABEL_CELL = re.compile(r"^[^\W\d_][\w.'\- ]{0,40}$")


def row_text(cells: list[str]) -> str:
    """One line for a row: "[00:01:23] Kari: words", "Kari: words", or the cells tab-separated."""
    cells = [cell.strip() for cell in cells]
    stamp = ""
    if len(cells) >= 3 and STAMP_CELL.match(cells[0]):
        stamp = f"[{cells[0].strip('[]()')}] "
        cells = cells[1:]
    if len(cells) >= 2 and LABEL_CELL.match(cells[0]) and cells[1]:
        words = " ".join(cell for cell in cells[1:] if cell)
        return f"{stamp}{cells[0].rstrip(':').strip()}: {words}"
    return stamp + "\t".join(cell for cell in cells if cell)
