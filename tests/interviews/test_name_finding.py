"""Before import: near misses of listed names, name candidates not on the list and the
participants' attributes are found in a transcript (interviews.names); nothing is changed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from interviews.names import Kind, find_names
from interviews.pseudonymise import Pseudonymiser, Replacement

LIST = Pseudonymiser(
    [
        Replacement("Ingrid", "[therapist]"),
        Replacement("Åse", "[sister]"),
        Replacement("Per", "[p]"),
    ]
)


def found(text, pseudonymiser=LIST, language="en", attributes=()):
    return {
        (f.word, f.kind): f.count
        for f in find_names(
            text, pseudonymiser=pseudonymiser, language=language, attributes=attributes
        )
    }


def test_inflected_and_misspelt_forms_of_a_listed_name_are_near_misses():
    text = "We met Ingrids mother, then Ingri and Ingird; Åses car and INGRIDS too."

    assert found(text) == {
        ("Ingrids", Kind.NEAR_MISS): 1,
        ("Ingri", Kind.NEAR_MISS): 1,
        ("Ingird", Kind.NEAR_MISS): 1,
        ("Åses", Kind.NEAR_MISS): 1,
        ("INGRIDS", Kind.NEAR_MISS): 1,
    }


def test_a_genitive_with_an_apostrophe_is_replaced_so_it_is_no_near_miss():
    assert found("It was Ingrid's idea, and Ingrid’s car.") == {}


def test_ordinary_words_that_begin_like_a_short_name_are_left_alone():
    assert found("perhaps the person persisted, said Åse") == {}


def test_capitalised_words_mid_sentence_are_name_candidates_even_with_an_empty_list():
    text = "Jeg bodde i Sogndal med Magnus. Da kom Bjørn og Åse hjem."

    assert found(text, Pseudonymiser([]), language="nb") == {
        ("Sogndal", Kind.CANDIDATE): 1,
        ("Magnus", Kind.CANDIDATE): 1,
        ("Bjørn", Kind.CANDIDATE): 1,
        ("Åse", Kind.CANDIDATE): 1,
    }


def test_sentence_starts_speaker_labels_and_common_words_are_no_candidates():
    text = 'I: How are you?\n\nC: Fine. "Then I said: Yes, The Guardian wrote on Monday."'

    assert ("Then", Kind.CANDIDATE) not in found(text)
    assert ("I", Kind.CANDIDATE) not in found(text)
    assert ("The", Kind.CANDIDATE) not in found(text)
    assert found(text)[("Guardian", Kind.CANDIDATE)] == 1


def test_the_participants_attributes_are_found_in_any_letter_case():
    attributes = [("Electrician", "a client's profession"), ("Sogndal", "a participant's town")]

    result = find_names(
        "I worked as an electrician in sogndal. In Sogndal.",
        pseudonymiser=LIST,
        language="en",
        attributes=attributes,
    )

    assert [(f.word, f.count, f.kind, f.reason) for f in result] == [
        ("Sogndal", 2, Kind.ATTRIBUTE, "a participant's town"),
        ("Electrician", 1, Kind.ATTRIBUTE, "a client's profession"),
    ]


names = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)


# A language's word list loads on its first use: no deadline.
@settings(deadline=None)
@given(
    text=st.text(st.characters(exclude_categories=("Cs",)), max_size=400),
    originals=st.lists(names, max_size=6),
    attributes=st.lists(names, max_size=4),
    language=st.sampled_from(["en", "nb", "de"]),
)
def test_any_text_and_any_list_give_findings_never_an_error(text, originals, attributes, language):
    pseudonymiser = Pseudonymiser(Replacement(original, "[x]") for original in originals)

    result = find_names(
        text,
        pseudonymiser=pseudonymiser,
        language=language,
        attributes=[(term, "an attribute") for term in attributes],
    )

    assert all(finding.count > 0 and finding.word for finding in result)
    assert len({(f.word, f.kind) for f in result}) == len(result)
