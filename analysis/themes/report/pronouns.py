"""A study's pronoun convention, applied to the report's own text (never to quotes).

For anonymity a report may call every client "she" and every therapist "he",
whatever their gender. `apply_pronoun` rewrites the singular gendered pronouns
of a text (he, she, him, her, his, hers, himself, herself) into the chosen
set. "They" is left alone: in a description of clients it is usually plural.

Two ambiguities are settled by the next word: "her" before a noun is a
determiner (→ "his"), otherwise an object (→ "him"); "his" before a noun is a
determiner (→ "her"), otherwise a possessive (→ "hers"). Converting to
"they" also turns the verb after he/she into its plural form (is → are,
says → say, "sometimes cries" → "sometimes cry"). The rules are heuristics; the generated report is a draft to be
read before it is sent.
"""

import re

FORMS = {
    "she": {"subject": "she", "object": "her", "determiner": "her", "possessive": "hers",
            "reflexive": "herself"},
    "he": {"subject": "he", "object": "him", "determiner": "his", "possessive": "his",
           "reflexive": "himself"},
    "they": {"subject": "they", "object": "them", "determiner": "their", "possessive": "theirs",
             "reflexive": "themselves"},
}  # fmt: skip

FIXED = {
    "he": "subject",
    "she": "subject",
    "him": "object",
    "hers": "possessive",
    "himself": "reflexive",
    "herself": "reflexive",
}

# Words after "her"/"his" that show it is not a determiner before a noun.
NOT_A_NOUN = {
    "a", "an", "the", "this", "that", "these", "those", "to", "and", "or", "but", "nor", "so",
    "yet", "if", "when", "while", "because", "as", "at", "by", "for", "from", "in", "into", "of",
    "off", "on", "onto", "out", "over", "up", "down", "with", "without", "about", "again",
    "back", "too", "also", "very", "more", "most", "less", "not", "never", "always", "only",
    "just", "even", "still", "all", "both", "each", "what", "how", "why", "where", "who", "whom",
    "which", "feel", "feels", "see", "know", "go", "come", "say", "tell", "understand", "cry",
    "speak", "talk", "be", "do", "have", "make", "take", "think", "realise", "realize", "let",
    "help", "stop", "leave", "was", "is", "were", "are", "has", "had", "will", "would", "could",
    "should", "can", "may", "might", "must",
}  # fmt: skip

PLURAL_VERBS = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
NOT_A_VERB = NOT_A_NOUN | {"always", "perhaps", "sometimes", "thus", "less", "us", "its"}
# Adverbs that may stand between "they" and its verb ("they sometimes cry").
BETWEEN = {
    "always",
    "sometimes",
    "often",
    "never",
    "also",
    "still",
    "just",
    "only",
    "really",
    "even",
    "then",
    "usually",
    "later",
    "first",
    "finally",
    "clearly",
    "both",
    "all",
}

TOKENS = re.compile(r"([\w'’]+)")


def _case_like(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if model[0].isupper() else word


def _plural_verb(verb: str) -> str:
    lower = verb.lower()
    if lower in PLURAL_VERBS:
        return _case_like(PLURAL_VERBS[lower], verb)
    if not lower.endswith("s") or lower.endswith("ss") or lower in NOT_A_VERB:
        return verb
    if lower.endswith("ies") and len(lower) > 4:
        return verb[:-3] + "y"
    if re.search(r"(ch|sh|x|z|o)es$", lower):
        return verb[:-2]
    return verb[:-1]


def _form(word: str, following: str) -> str | None:
    """Which form a pronoun of the text is in (None: not a gendered pronoun)."""
    lower = word.lower()
    if lower in FIXED:
        return FIXED[lower]
    if lower not in ("her", "his"):
        return None
    if following and following.lower() not in NOT_A_NOUN:
        return "determiner"
    return "object" if lower == "her" else "possessive"


def apply_pronoun(text: str, pronoun: str) -> str:
    """`text` with its singular gendered pronouns in the `pronoun` set ("" leaves it)."""
    if not pronoun:
        return text
    forms = FORMS[pronoun]
    tokens = TOKENS.split(text)  # non-word, word, non-word, word, ..., non-word
    pluralise_next = False
    for index in range(1, len(tokens), 2):
        word = tokens[index]
        if pluralise_next:
            if word.lower() not in BETWEEN:
                tokens[index] = _plural_verb(word)
                pluralise_next = False
            continue
        adjacent = index + 2 < len(tokens) and tokens[index + 1].isspace()
        form = _form(word, tokens[index + 2] if adjacent else "")
        if form is None:
            continue
        tokens[index] = _case_like(forms[form], word)
        pluralise_next = form == "subject" and pronoun == "they" and adjacent
    return "".join(tokens)
