"""The pseudonymiser replaces whole words, longest first, case- and Unicode-aware,
and carries offsets over so that speaker turns still fit the text."""

import pytest

from interviews.pseudonymise import Pseudonymiser, Replacement, read_replacements

LIST = Pseudonymiser(
    [
        Replacement("Ingrid", "[therapist]"),
        Replacement("Ingrid Solheim", "[therapist]"),
        Replacement("Åse", "[client's sister]"),
        Replacement("Bjørn", "Per"),
        Replacement("Rose", "[friend]", case_sensitive=True),
        Replacement("Helse Vest", "[health trust]"),
    ]
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ingrid Solheim said so.", "[therapist] said so."),
        ("Ingridsen met Ingrid.", "Ingridsen met [therapist]."),
        (
            "Åse, not Kåse or Åsel, wrote to Åse.",
            "[client's sister], not Kåse or Åsel, wrote to [client's sister].",
        ),
        ("ÅSE and åse", "[client's sister] and [client's sister]"),
        ("BJØRN and Bjørn's car", "PER and Per's car"),
        ("Rose gave me a rose.", "[friend] gave me a rose."),
        ("at HELSE VEST today", "at [health trust] today"),
        ("Bjørn_2 and 3Åse", "Per_2 and 3Åse"),
    ],
)
def test_it_replaces_whole_words_in_any_case_unless_marked(text, expected):
    assert LIST.replace(text) == expected


def test_it_matches_names_typed_with_combining_characters():
    assert LIST.replace("A\u030ase") == "[client's sister]"


def test_it_counts_each_replacement():
    result = LIST.apply("Ingrid and Ingrid Solheim and Åse.")

    counts = {entry.original: count for entry, count in LIST.report(result)}
    assert counts == {"Ingrid": 1, "Ingrid Solheim": 1, "Åse": 1}


def test_offsets_of_the_original_text_move_with_the_replacements():
    text = "I: Ingrid?\n\nC: Åse came."
    result = LIST.apply(text)
    second = text.index("C:")

    assert result.text == "I: [therapist]?\n\nC: [client's sister] came."
    assert result.position(0) == 0
    assert result.position(second) == result.text.index("C:")
    assert result.position(len(text)) == len(result.text)
    assert result.position(text.index("Ingrid") + 2) == result.text.index("[therapist]")


def test_an_empty_list_changes_nothing():
    assert Pseudonymiser([]).apply("Ingrid").text == "Ingrid"


def test_a_csv_list_is_read_with_its_optional_case_column():
    entries = read_replacements(
        "\ufefforiginal,replacement,case_sensitive\nRose,[friend],yes\nA\u030ase,[sister],\n"
    )

    assert entries == [Replacement("Rose", "[friend]", True), Replacement("Åse", "[sister]", False)]


@pytest.mark.parametrize(
    "csv_text, message",
    [
        ("name,pseudonym\nKari,[client]\n", "The list needs the columns original and replacement"),
        ("original,replacement\nKari,\n", "Line 2: 'Kari' has no replacement."),
    ],
)
def test_a_csv_list_without_its_columns_or_replacements_is_refused(csv_text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        read_replacements(csv_text)
