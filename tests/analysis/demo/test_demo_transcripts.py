"""The demo's transcripts: pseudonymised whole words, and turns that detect_turns finds."""

import pytest

from analysis.demo.study import SAMPLE_FILES
from analysis.demo.transcripts import compose, relabel, sample_transcript, vtt_as_text
from interviews.pseudonymise import pseudonymise
from interviews.turns import detect_turns

PAIRS = [
    ("Ingrid", "[therapist]"),
    ("Ingrid Solheim", "[therapist]"),
    ("Åse", "[client's sister]"),
    ("Helse Vest", "[health trust]"),
]


def test_pseudonymise_replaces_the_longest_original_first():
    assert pseudonymise("Ingrid Solheim said so.", PAIRS) == "[therapist] said so."


def test_pseudonymise_replaces_whole_words_only():
    assert pseudonymise("Ingridsen met Ingrid.", PAIRS) == "Ingridsen met [therapist]."


def test_pseudonymise_treats_letters_beyond_ascii_as_word_characters():
    text = "Åse, not Kåse or Åsel, wrote to Åse."

    assert (
        pseudonymise(text, PAIRS)
        == "[client's sister], not Kåse or Åsel, wrote to [client's sister]."
    )


def test_pseudonymise_ignores_letter_case_and_unicode_normalisation():
    decomposed = "A\u030ase"  # Å as A plus a combining ring

    assert pseudonymise(f"ÅSE and {decomposed} at HELSE VEST", PAIRS) == (
        "[client's sister] and [client's sister] at [health trust]"
    )


def test_relabel_replaces_speaker_labels_but_not_the_name_in_the_text():
    text = "[00:00:04] Magnus: Hello.\n\n[00:00:09] Interviewer: Magnus, welcome.\n"

    assert relabel(text, {"Magnus": "C3"}) == (
        "[00:00:04] C3: Hello.\n\n[00:00:09] Interviewer: Magnus, welcome.\n"
    )


def test_a_webvtt_file_becomes_timestamped_turns_with_its_note_kept_apart():
    vtt = (
        "WEBVTT\n\nNOTE Recorded at the clinic.\n\n"
        "00:00:01.000 --> 00:00:07.500\n<v Interviewer>How are you?\n\n"
        "00:00:08.200 --> 00:00:21.900\n<v Kari>Tired.\n"
    )

    text, note = vtt_as_text(vtt)

    assert text == "[00:00:01] Interviewer: How are you?\n\n[00:00:08] Kari: Tired.\n"
    assert note == "Recorded at the clinic."
    assert [(t.speaker, t.t_start, t.t_end) for t in detect_turns(text)] == [
        ("Interviewer", 1000, 8000),
        ("Kari", 8000, None),
    ]


@pytest.mark.parametrize("key", sorted(SAMPLE_FILES))
def test_each_sample_file_turns_into_pseudonymised_turns(key):
    name, speakers = SAMPLE_FILES[key]

    transcript = sample_transcript(name, speakers)

    assert "\ufeff" not in transcript.text and "\r" not in transcript.text
    assert transcript.source_name == name
    speakers_found = {turn.speaker for turn in detect_turns(transcript.text)}
    assert len(speakers_found) == 2
    assert not speakers_found & {"Magnus", "Kari"}


@pytest.mark.parametrize(
    "role, focus, timing, sequence",
    [
        ("therapist", "background", "during", 1),
        ("therapist", "background", "during", 2),
        ("therapist", "therapy", "during", 3),
        ("therapist", "therapy", "after", 4),
        ("client", "background", "during", 1),
        ("client", "therapy", "after", 2),
        ("client", "both", "after", 1),
    ],
)
@pytest.mark.parametrize("style", ["letters", "stamped", "named"])
def test_a_composed_interview_alternates_interviewer_and_interviewee(
    role, focus, timing, sequence, style
):
    text = compose(
        role=role,
        focus=focus,
        timing=timing,
        sequence_number=sequence,
        pseudonym="T4" if role == "therapist" else "C4",
        other_gender="male",
        seed="test",
        used=set(),
        style=style,
    )

    turns = detect_turns(text)
    speakers = [turn.speaker for turn in turns]
    interviewer = speakers[0]
    assert interviewer in {"I", "Interviewer"}
    assert len(turns) >= 10
    assert speakers[::2] == [interviewer] * len(speakers[::2])
    assert interviewer not in speakers[1::2]
    assert "{" not in text and "}" not in text
    if style == "stamped":
        starts = [turn.t_start for turn in turns]
        assert starts == sorted(starts) and None not in starts


def test_later_interviews_of_a_participant_ask_about_other_topics():
    told: set[str] = set()
    first, second = (
        compose(
            role="therapist",
            focus="background",
            timing="during",
            sequence_number=number,
            pseudonym="T4",
            other_gender="female",
            seed=f"T4-{number}",
            used=told,
            style="letters",
        )
        for number in (1, 2)
    )

    def questions(text):
        return {turn for turn in text.split("\n\n") if turn.startswith("I: ") and "?" in turn}

    assert len(questions(first) & questions(second)) <= 2


def test_the_same_seed_gives_the_same_transcript():
    def make():
        return compose(
            role="client",
            focus="therapy",
            timing="after",
            sequence_number=2,
            pseudonym="C1",
            other_gender="female",
            seed="C1-2",
            used=set(),
        )

    assert make() == make()
