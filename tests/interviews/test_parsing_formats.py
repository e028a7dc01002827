"""Each format becomes one NFC text with LF line ends and speaker turns (reader → parser → builder)."""

import unicodedata

import pytest

from interviews.parsers import draft, read_source
from tests.interviews import samples

SPEAKERS = ["I", "C", "I", "C"]


def imported(name: str, content: bytes):
    return draft(read_source(name, content))


def speakers(built) -> list[str]:
    return [turn.speaker for turn in built.turns]


def words(built) -> list[str]:
    return [built.text[turn.start : turn.end] for turn in built.turns]


@pytest.mark.parametrize(
    "encoding, newline",
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-16", "\r\n"),
        ("utf-16-le", "\n"),
        ("cp1252", "\r\n"),
    ],
)
def test_a_text_file_in_any_common_encoding_reads_the_same(encoding, newline):
    content = samples.txt(encoding=encoding, newline=newline)
    if encoding == "utf-16-le":
        content = b"\xff\xfe" + content  # Windows writes UTF-16 with its byte-order mark

    built = imported("interview.txt", content)

    assert built.text == samples.TEXT
    assert speakers(built) == SPEAKERS
    assert words(built)[1] == "C: My sister Åse found it. Bjørn, my father, drove me there."


def test_the_text_is_normalised_to_nfc_and_lf():
    decomposed = "I: Hvem er A\u030ase?\r\n\r\n\r\n\r\nC: Min s\u00f8ster.   \r"

    built = imported("interview.txt", decomposed.encode())

    assert built.text == "I: Hvem er Åse?\n\nC: Min søster."
    assert unicodedata.is_normalized("NFC", built.text)


def test_a_docx_gives_its_paragraphs_and_tables_but_not_its_header_or_footer():
    content = samples.make_docx(
        table_rows=[("00:02:01", "I", "Anything else?"), ("00:02:05", "C", "No.")]
    )

    built = imported("interview.docx", content)

    assert built.format == "docx"
    assert speakers(built) == [*SPEAKERS, "I", "C"]
    assert "Magnus Hansen" not in built.text and "Page 1" not in built.text
    assert words(built)[-2:] == ["[00:02:01] I: Anything else?", "[00:02:05] C: No."]
    assert [turn.t_start for turn in built.turns[-2:]] == [121_000, 125_000]


def test_an_odt_gives_its_paragraphs_and_tables():
    built = imported("interview.odt", samples.make_odt(table_rows=[("I", "And now?")]))

    assert built.format == "odt"
    assert speakers(built) == [*SPEAKERS, "I"]
    assert words(built)[1] == "C: My sister Åse found it. Bjørn, my father, drove me there."
    assert words(built)[-1] == "I: And now?"


def test_an_rtf_gives_its_text_in_unicode_without_its_header():
    built = imported("interview.rtf", samples.make_rtf())

    assert built.text == samples.TEXT
    assert "Magnus" not in built.text


def test_a_pdf_gives_its_text_layer_with_one_paragraph_per_turn():
    long_turns = [("I", "Tell me. " * 30), ("C", "Yes, my sister Åse found it.")]

    built = imported("interview.pdf", samples.make_pdf(long_turns))

    assert speakers(built) == ["I", "C"]
    assert words(built)[0] == ("I: " + "Tell me. " * 30).strip()
    assert words(built)[1] == "C: Yes, my sister Åse found it."


def test_a_webvtt_file_gives_voices_as_speakers_with_the_cue_times():
    built = imported("interview.vtt", samples.VTT.encode())

    assert [(t.speaker, t.t_start, t.t_end) for t in built.turns] == [
        ("Interviewer", 1000, 4500),
        ("Kari", 5000, 12000),
        ("Interviewer", 62000, 65000),
    ]
    assert words(built)[1] == "[00:00:05] Kari: My sister Åse found it. Bjørn drove me there."
    assert "Recorded in" not in built.text


def test_a_subrip_file_gives_labels_in_its_cues_as_speakers_with_the_cue_times():
    built = imported("interview.srt", samples.SRT.encode())

    assert [(t.speaker, t.t_start, t.t_end) for t in built.turns] == [
        ("I", 1000, 4500),
        ("Kari", 5000, 12000),
    ]
    assert words(built)[1] == "[00:00:05] Kari: My sister Åse found it. Bjørn drove me there."


@pytest.mark.parametrize(
    "name, turns, first",
    [
        ("dyad03_therapist_interview3.txt", 16, ("I", None)),
        ("dyad03_client_interview2.txt", 16, ("Interviewer", 4000)),
        ("dyad05_client_interview1.vtt", 10, ("Interviewer", 1000)),
    ],
)
def test_the_sample_files_read_as_speaker_turns(name, turns, first):
    built = imported(name, samples.sample(name))

    assert len(built.turns) == turns
    assert (built.turns[0].speaker, built.turns[0].t_start) == first
    assert "\r" not in built.text and "\ufeff" not in built.text
