"""The pronoun convention rewrites the singular gendered pronouns of the report's text."""

import pytest

from analysis.themes.report.pronouns import apply_pronoun


@pytest.mark.parametrize(
    ("text", "pronoun", "expected"),
    [
        ("She told her mother.", "he", "He told his mother."),
        ("He asked her to stay.", "he", "He asked him to stay."),
        ("The therapist helped her.", "he", "The therapist helped him."),
        ("The work was his.", "she", "The work was hers."),
        ("He blamed himself; HE said so.", "she", "She blamed herself; SHE said so."),
        ("She is moved and she says so.", "they", "They are moved and they say so."),
        (
            "He sometimes cries, she watches his face.",
            "they",
            "They sometimes cry, they watch their face.",
        ),
        ("Clients said they were seen.", "he", "Clients said they were seen."),
        ("Shelter, hero and history stay.", "she", "Shelter, hero and history stay."),
        ("She told her mother.", "", "She told her mother."),
    ],
)
def test_pronouns_take_the_studys_convention(text, pronoun, expected):
    assert apply_pronoun(text, pronoun) == expected
