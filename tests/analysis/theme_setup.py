"""A small study for the theme views, built on the cast, with every count known.

Dyad 1 is the cast's dyad; dyad 2 pairs the same therapist with another client.

    interviews   therapist T: #1 background (no dyad), #2 about dyad 1, #3 about dyad 2
                 client of dyad 1: #1 (the cast's), #2;  client of dyad 2: #1
    themes       Relationship (overarching)
                   Safety: codes A                   (constituent)
                   Persistence: codes B              (constituent)
                     Irritation: codes B, C          (constituent of a constituent)
    codings      T #1 (background): A, A, B         -> both dyads' therapist side
                 T #2 (dyad 1): C                   -> dyad 1 only
                 T #3 (dyad 2): B                   -> dyad 2 only
                 client 1 #1: A, B;  client 1 #2: C, C;  client 2 #1: none
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from analysis.coding.models import Code
from analysis.themes.models import Theme
from dyads.models import Dyad, ParticipantRole
from interviews.models import Interview
from tests import factories


@dataclass
class ThemeStudy:
    dyad1: Dyad
    dyad2: Dyad
    codes: dict[str, Code]
    overarching: Theme
    safety: Theme
    persistence: Theme
    irritation: Theme
    interviews: dict[str, Interview]


def theme_study(cast) -> ThemeStudy:
    study, coder = cast.study, cast.analyst
    codes = {name: factories.CodeFactory(study=study, name=name) for name in "ABC"}
    dyad1 = cast.dyad
    client2 = factories.ParticipantFactory(study=study, gender="male", age=41)
    dyad2 = factories.DyadFactory(
        study=study, label="Dyad 2", therapist=dyad1.therapist, client=client2
    )
    therapist = dyad1.therapist
    cast.therapist_interview.delete()  # replaced by the three below
    interviews = {
        "T1": factories.InterviewFactory(participant=therapist, dyad=None, sequence_number=1),
        "T2": factories.InterviewFactory(participant=therapist, dyad=dyad1, sequence_number=2),
        "T3": factories.InterviewFactory(participant=therapist, dyad=dyad2, sequence_number=3),
        "C1": cast.client_interview,
        "C2": factories.InterviewFactory(participant=dyad1.client, dyad=dyad1, sequence_number=2),
        "D1": factories.InterviewFactory(participant=client2, dyad=dyad2, sequence_number=1),
    }
    revisions = {"C1": cast.revision}
    for key in ("T1", "T2", "T3", "C2", "D1"):
        revisions[key] = factories.revision_for(interviews[key])
    plan = {"T1": "AAB", "T2": "C", "T3": "B", "C1": "AB", "C2": "CC", "D1": ""}
    for key, names in plan.items():
        for number, name in enumerate(names):
            factories.CodingFactory(
                revision=revisions[key],
                code=codes[name],
                coder=coder,
                start=70 + 10 * number,
                end=80 + 10 * number,
            )
    overarching = factories.ThemeFactory(study=study, name="Relationship")
    safety = factories.ThemeFactory(
        study=study, name="Safety", parent=overarching, codes=[codes["A"]]
    )
    persistence = factories.ThemeFactory(
        study=study, name="Persistence", parent=overarching, codes=[codes["B"]]
    )
    irritation = factories.ThemeFactory(
        study=study, name="Irritation", parent=persistence, codes=[codes["B"], codes["C"]]
    )
    return ThemeStudy(
        dyad1=dyad1,
        dyad2=dyad2,
        codes=codes,
        overarching=overarching,
        safety=safety,
        persistence=persistence,
        irritation=irritation,
        interviews=interviews,
    )


def side_interviews(dyad: Dyad, role: str) -> QuerySet[Interview]:
    """One side's interviews of the dyad, written out independently of the code under test:
    the client's, or the therapist's about this dyad or about no dyad in particular."""
    if role == ParticipantRole.CLIENT:
        return Interview.objects.filter(participant=dyad.client)
    return Interview.objects.filter(participant=dyad.therapist).filter(
        Q(dyad=dyad) | Q(dyad__isnull=True)
    )


@dataclass
class SideStateStudy:
    """The theme study with a constituent nobody coded and a dyad without transcripts.

    Every transcript but client 2's (#1, "D1") has codings made outside any session, so
    it is coded in either layer; D1 has none and is in no session: not coded.

        Hope: code D, which nobody applied      (constituent)
        dyad 3: its client's interview #1 has no transcript, its therapist no interview

    The states of each side (client, therapist), in either layer:

        Safety    dyad 1: present, present   dyad 2: not coded, present   dyad 3: —, —
        Hope      dyad 1: absent, absent     dyad 2: not coded, absent    dyad 3: —, —
    """

    base: ThemeStudy
    hope: Theme
    dyad3: Dyad


def side_state_study(cast) -> SideStateStudy:
    base = theme_study(cast)
    study = cast.study
    hope = factories.ThemeFactory(
        study=study,
        name="Hope",
        parent=base.overarching,
        codes=[factories.CodeFactory(study=study, name="D")],
    )
    dyad3 = factories.DyadFactory(study=study, label="Dyad 3")
    factories.InterviewFactory(participant=dyad3.client, dyad=dyad3, sequence_number=1)
    return SideStateStudy(base=base, hope=hope, dyad3=dyad3)
