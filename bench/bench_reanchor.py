"""How fast does a corrected transcript carry its codings over?

Run with ``.venv/bin/python bench/bench_reanchor.py`` (PostgreSQL must be running).

The workload: one transcript of 15,200 words (~90,000 code points, bench_export's
generator) with 2,100 codings of 5-40 words (3 coders × 700, as on the large study's
coding page), corrected in 30 places (a word replaced, a sentence deleted, a few
words inserted) spread over the text. Printed, the median of RUNS:

- the character diff of two texts alone, by diff-match-patch (what
  interviews.anchoring uses) and by difflib.SequenceMatcher (without its "junk"
  heuristic, which drops every frequent character), on transcripts of 5,000 to
  100,000 characters with the same kind of corrections;
- mapping the 2,100 spans (interviews.anchoring.text_map + TextMap.span);
- the whole re-anchoring in the database: transcript_revision_create storing the
  corrected text as a new revision, its followers moving the codings (one UPDATE)
  and opening reviews, in one transaction that is rolled back after each run.

The study is made once by bulk insert in its own database (``duet_bench_reanchor``;
``BENCH_DATABASE_URL`` overrides) and reused.
"""

from __future__ import annotations

import difflib
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import ensure_study, prepare_database  # noqa: E402  (the same set-up)
from bench_export import Words, spans, transcript  # noqa: E402  (the same transcripts)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_reanchor"
SLUG = "bench-reanchor"
CODERS = 3
CODINGS_EACH = 700
EDITS = 30
RUNS = 5


def corrected(text: str, rng: random.Random) -> str:
    """`text` with EDITS corrections spread over it, from the end so offsets hold."""
    cuts = sorted(rng.sample(range(0, len(text) - 200), EDITS), reverse=True)
    for at in cuts:
        kind = rng.choice(["replace", "delete", "insert"])
        if kind == "replace":
            end = text.index(" ", at + 1)
            text = text[:at] + " corrected" + text[end:]
        elif kind == "delete":
            text = text[:at] + text[at + rng.randint(20, 120) :]
        else:
            text = text[:at] + " (inaudible) added words" + text[at:]
    return text


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from analysis.coding.models import Code, Coding
    from dyads.models import Dyad, Participant, Role, Study, StudyMembership
    from interviews.models import Interview, Transcript, TranscriptRevision

    rng = random.Random(17)
    text, turns = transcript(Words(17))
    User = get_user_model()
    with transaction.atomic():
        owner = User.objects.get_or_create(username="bench-owner")[0]
        coders = [User.objects.get_or_create(username=f"bench-coder{n}")[0] for n in range(3)]
        study = Study.objects.create(title="Re-anchoring benchmark", slug=SLUG)
        StudyMembership.objects.create(study=study, user=owner, role=Role.OWNER)
        therapist = Participant.objects.create(study=study, role="therapist", pseudonym="T1")
        client = Participant.objects.create(study=study, role="client", pseudonym="C1")
        dyad = Dyad.objects.create(study=study, label="D1", therapist=therapist, client=client)
        interview = Interview.objects.create(
            study=study,
            participant=client,
            dyad=dyad,
            sequence_number=1,
            focus="therapy",
            timing="during",
        )
        transcript_row = Transcript.objects.create(interview=interview)
        revision = TranscriptRevision.objects.create(
            transcript=transcript_row, number=1, text=text, checksum="0" * 64, created_by=owner
        )
        transcript_row.current_revision = revision
        transcript_row.save()
        codes = [Code.objects.create(study=study, name=f"Code {n}") for n in range(20)]
        Coding.objects.bulk_create(
            Coding(
                study=study,
                revision=revision,
                start=start,
                end=end,
                code=rng.choice(codes),
                coder=coder,
            )
            for coder in coders
            for start, end in spans(rng, text, turns, CODINGS_EACH)
        )


def timed(step, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        step()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def diffs() -> None:
    """diff-match-patch on 100,000 characters; difflib on 5,000-20,000 (it grows as the
    square of the length: 100,000 would take minutes)."""
    from diff_match_patch import diff_match_patch

    text = ""
    words = Words(3)
    while len(text) < 100_000:
        text += transcript(words)[0]
    differ = diff_match_patch()
    print(f"character diff of a transcript with {EDITS} corrections:")
    for length in (5_000, 10_000, 20_000, 100_000):
        old = text[:length]
        new = corrected(old, random.Random(5))
        dmp = timed(lambda old=old, new=new: differ.diff_main(old, new))
        line = f"  {length:>7,} characters: diff-match-patch {dmp * 1000:7.1f} ms"
        if length <= 20_000:
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            seq = timed(matcher.get_opcodes, 1)
            line += f", difflib.SequenceMatcher {seq * 1000:9.1f} ms"
        print(line, flush=True)


def main() -> None:
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    from django.db import transaction

    from analysis.coding.models import Coding
    from interviews.anchoring import text_map
    from interviews.services.transcripts import transcript_revision_create

    study = ensure_study(SLUG, build)
    owner = study.memberships.get(role="owner").user
    revision = Coding.objects.filter(study=study).first().revision
    interview = revision.transcript.interview
    new_text = corrected(revision.text, random.Random(11))
    rows = list(Coding.objects.filter(revision=revision).values_list("start", "end"))
    print(
        f"{len(revision.text):,} code points, {len(rows):,} codings, load {os.getloadavg()[0]:.2f}"
    )
    diffs()

    def mapped():
        mapping = text_map(revision.text, new_text)
        return [mapping.span(start, end) for start, end in rows]

    print(f"text_map and {len(rows):,} spans: {timed(mapped) * 1000:.1f} ms (median of {RUNS})")

    def reanchored():
        with transaction.atomic():
            transcript_revision_create(actor=owner, interview=interview, text=new_text, turns=[])
            transaction.set_rollback(True)

    states = {}
    for span in mapped():
        states[span.state] = states.get(span.state, 0) + 1
    print(f"states: {', '.join(f'{state}: {n}' for state, n in sorted(states.items()))}")
    print(
        f"new revision with re-anchoring in the database: {timed(reanchored) * 1000:.1f} ms "
        f"(median of {RUNS})"
    )


if __name__ == "__main__":
    main()
