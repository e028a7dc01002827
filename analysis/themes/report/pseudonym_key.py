"""The key to the pseudonyms' prefixes (C = client, T = therapist), for the report's readers.

A prefix is the letters a pseudonym starts with; it is explained when every participant
who carries it has the same role, so that the key never misleads.
"""

import re
from collections import defaultdict

from dyads.models import Participant, ParticipantRole, Study

PREFIX = re.compile(r"^[^\W\d_]+")


def pseudonym_key(*, study: Study) -> str:
    """E.g. "Quotes are cited by pseudonym and interview number: C = client,
    T = therapist." (1 query); empty when no prefix belongs to one role."""
    roles = defaultdict(set)
    for pseudonym, role in Participant.objects.filter(study=study).values_list("pseudonym", "role"):
        match = PREFIX.match(pseudonym)
        if match:
            roles[match.group()].add(role)
    key = [
        f"{prefix} = {ParticipantRole(found.pop()).label.lower()}"
        for prefix, found in sorted(roles.items())
        if len(found) == 1
    ]
    if not key:
        return ""
    return (
        "Quotes are cited by the speaker's pseudonym and the number of their interview; "
        f"the pseudonyms' letters stand for the role: {', '.join(key)}."
    )
