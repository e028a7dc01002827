"""How fast is character-level Krippendorff's alpha on a study-sized corpus?

Run with ``.venv/bin/python bench/bench_agreement.py``. Pure NumPy, no Django.

The corpus: 100 transcripts of 15,000 words (about 85,000 code points each),
alternating interviewer and participant turns, 20 codes, and two coders who
each make 500 codings per transcript, spans of 5 to 40 words. Most of the
second coder's codings copy one of the first coder's with both boundaries
moved by up to a few words; the rest are placed at random, so alpha lands in a
realistic middle range.

Timed, median of three runs: for every transcript and code, build the
character units (interviewer turns masked as missing) and their coincidence
matrix; then alpha per code over all transcripts and overall (the pooled
matrix, each code × character a unit). Building the corpus is not timed.
Then the same figures from character runs (``coverage_runs`` and
``binary_tally``, the path Duet's agreement service takes), in the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.agreement.coefficients import (  # noqa: E402
    Coincidences,
    alpha_from_coincidences,
    coincidences,
    krippendorff_alpha,
)
from analysis.agreement.passages import Span  # noqa: E402
from analysis.agreement.tallies import BinaryTally, binary_tally  # noqa: E402
from analysis.agreement.units import character_units, coverage_runs  # noqa: E402

TRANSCRIPTS = 100
WORDS = 15_000
CODES = 20
CODINGS_PER_CODER = 500
SPAN_WORDS = (5, 40)
COPIED = 0.7  # share of the second coder's codings that follow the first's
JITTER_WORDS = 3
RUNS = 3
BINARY = (0, 1)


@dataclass
class Transcript:
    length: int
    interviewer_turns: list[Span]
    # spans[coder][code] = that coder's spans for that code
    spans: list[list[list[Span]]]


def make_transcript(rng: np.random.Generator) -> Transcript:
    word_lengths = 1 + rng.poisson(3.7, WORDS)  # English-like, then a space
    word_starts = np.concatenate([[0], np.cumsum(word_lengths + 1)[:-1]])
    word_ends = word_starts + word_lengths
    length = int(word_ends[-1])

    turns = []
    word, interviewer = 0, True
    while word < WORDS:
        size = int(rng.integers(3, 40) if interviewer else rng.integers(20, 300))
        last = min(word + size, WORDS) - 1
        if interviewer:
            turns.append((int(word_starts[word]), int(word_ends[last])))
        word, interviewer = last + 1, not interviewer

    first_a = rng.integers(0, WORDS - SPAN_WORDS[1], CODINGS_PER_CODER)
    count_a = rng.integers(SPAN_WORDS[0], SPAN_WORDS[1] + 1, CODINGS_PER_CODER)
    code_a = rng.integers(0, CODES, CODINGS_PER_CODER)
    copied = rng.random(CODINGS_PER_CODER) < COPIED
    jitter = rng.integers(-JITTER_WORDS, JITTER_WORDS + 1, (2, CODINGS_PER_CODER))
    first_b = np.where(copied, first_a + jitter[0], rng.integers(0, WORDS, CODINGS_PER_CODER))
    count_b = np.where(
        copied,
        count_a + jitter[1],
        rng.integers(SPAN_WORDS[0], SPAN_WORDS[1] + 1, CODINGS_PER_CODER),
    )
    code_b = np.where(copied, code_a, rng.integers(0, CODES, CODINGS_PER_CODER))

    spans: list[list[list[Span]]] = []
    for first, count, code in ((first_a, count_a, code_a), (first_b, count_b, code_b)):
        first = np.clip(first, 0, WORDS - 1)
        last = np.clip(first + np.maximum(count, 1) - 1, 0, WORDS - 1)
        by_code: list[list[Span]] = [[] for _ in range(CODES)]
        for start, end, c in zip(word_starts[first], word_ends[last], code, strict=True):
            by_code[c].append((int(start), int(end)))
        spans.append(by_code)
    return Transcript(length, turns, spans)


def agreement_per_code(corpus: list[Transcript]) -> tuple[list[float], float]:
    """Alpha per code over the corpus, and overall over all codes."""
    tables = np.zeros((CODES, 2, 2))
    for transcript in corpus:
        interviewer = character_units(transcript.length, [transcript.interviewer_turns])[0] == 1
        for code in range(CODES):
            units = character_units(
                transcript.length,
                [coder[code] for coder in transcript.spans],
                excluded=interviewer,
            )
            tables[code] += coincidences(units, values=BINARY).matrix
    values = np.array(BINARY)
    per_code = [alpha_from_coincidences(Coincidences(values, table)) for table in tables]
    overall = alpha_from_coincidences(Coincidences(values, tables.sum(axis=0)))
    return per_code, overall


def agreement_by_runs(corpus: list[Transcript]) -> tuple[list[float], float]:
    """The same figures as agreement_per_code, from character runs (what Duet's
    service does): each transcript's codings cut into runs of equal values, all
    codes tallied at once, weights instead of one column per code point."""
    tallies = []
    for transcript in corpus:
        rows = [
            (code, coder, start, end)
            for coder, by_code in enumerate(transcript.spans)
            for code, spans in enumerate(by_code)
            for start, end in spans
        ]
        data, weights = coverage_runs(
            transcript.length,
            rows,
            codes=CODES,
            coders=2,
            excluded=transcript.interviewer_turns,
        )
        tallies.append(binary_tally(data, weights))
    total = BinaryTally.stack(tallies).total(axis=0)
    per_code = [total[code].coefficients().krippendorff_alpha for code in range(CODES)]
    return per_code, total.total().coefficients().krippendorff_alpha


def timed(function, *args):
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    rng = np.random.default_rng(20240501)
    corpus = [make_transcript(rng) for _ in range(TRANSCRIPTS)]
    code_points = sum(t.length for t in corpus)
    masked = sum(end - start for t in corpus for start, end in t.interviewer_turns)
    print(
        f"corpus: {TRANSCRIPTS} transcripts × {WORDS:,} words, "
        f"{code_points:,} code points ({code_points / TRANSCRIPTS:,.0f} per transcript, "
        f"{masked / code_points:.0%} interviewer turns masked as missing)"
    )
    print(
        f"codings: 2 coders × {CODINGS_PER_CODER} per transcript, {CODES} codes, "
        f"spans of {SPAN_WORDS[0]}–{SPAN_WORDS[1]} words"
    )

    seconds, (per_code, overall) = timed(agreement_per_code, corpus)
    calls = TRANSCRIPTS * CODES
    print(
        f"\ncharacter units + coincidences for {calls:,} transcript × code pairs "
        f"({2 * code_points * CODES:,} coder × unit values), alpha per code and overall:"
    )
    print(f"  median of {RUNS} runs: {seconds:.3f} s ({seconds / calls * 1e6:.0f} µs per pair)")
    print(
        f"  nominal alpha per code: min {min(per_code):.3f}, "
        f"median {statistics.median(per_code):.3f}, max {max(per_code):.3f}"
    )
    print(f"  nominal alpha overall: {overall:.3f}")

    seconds, (by_runs, overall_by_runs) = timed(agreement_by_runs, corpus)
    assert np.allclose(by_runs, per_code) and np.isclose(overall_by_runs, overall)
    print(
        f"\nthe same from character runs (coverage_runs + binary_tally, as the service does):"
        f"\n  median of {RUNS} runs: {seconds:.3f} s, same alphas"
    )

    units = 1_500_000
    present = rng.random((2, units)) < 0.1
    agree = rng.random(units) < 0.8
    present[1, agree] = present[0, agree]
    for label, data in (("bool", present), ("float64", present.astype(np.float64))):
        seconds, alpha = timed(krippendorff_alpha, data)
        print(
            f"\nkrippendorff_alpha, 2 coders × {units:,} present/absent units ({label}): "
            f"{seconds * 1e3:.1f} ms (alpha {alpha:.3f})"
        )


if __name__ == "__main__":
    main()
