"""The demo study's people, guides, meetings and themes. All invented."""

import datetime as dt
from dataclasses import dataclass, field

PASSWORD = "duet-demo-2026"

# username, first name, last name, role in the study (the owner creates the study)
USERS = (
    ("owner", "Olivia", "Berg", "owner"),
    ("analyst1", "Aksel", "Lund", "analyst"),
    ("analyst2", "Nora", "Dahl", "analyst"),
    ("auditor", "Ruth", "Moe", "auditor"),
    ("interviewer", "Ivar", "Holm", "interviewer"),
)

STUDY = {
    "title": "Therapist and client experiences of helpful psychotherapy",
    "slug": "demo",
    "ethics_approval_reference": "REK 2026/4711",
    "description": (
        "A qualitative study of therapy dyads at three outpatient clinics. Each therapist is "
        "interviewed four times (twice about their background, twice about this therapy) and "
        "each client twice (background, then this therapy), during and after the therapy. "
        "The analysis follows interpretative phenomenological analysis across both "
        "perspectives of every dyad. All people and places in this demo are invented."
    ),
}

SITES = (
    ("Nordvik Outpatient Clinic", "Nordvik"),
    ("Havstad Psychology Centre", "Havstad"),
    ("Ekeli University Clinic", "Ekeli"),
)


@dataclass(frozen=True)
class Person:
    pseudonym: str
    gender: str
    age: int
    profession: str
    site: int
    orientation: str = ""
    problems: str = ""
    attributes: dict = field(default_factory=dict)
    job: str = ""  # the profession as the person says it ("a teacher")


THERAPISTS = (
    Person(
        "T1", "female", 52, "Psychologist", 0, "psychodynamic",
        attributes={"years_in_practice": 22, "own_therapy": True, "employment": "full time"},
    ),
    Person(
        "T2", "male", 45, "Psychologist", 1, "cognitive-behavioural",
        attributes={"years_in_practice": 14, "own_therapy": False, "employment": "full time"},
    ),
    Person(
        "T3", "female", 58, "Psychologist", 0, "psychodynamic",
        attributes={"years_in_practice": 27, "own_therapy": True, "grew_up": "small town"},
    ),
    Person(
        "T4", "male", 39, "Psychiatrist", 2, "integrative",
        attributes={"years_in_practice": 8, "own_therapy": True, "employment": "part time"},
    ),
    Person(
        "T5", "female", 47, "Psychologist", 1, "emotion-focused",
        attributes={"years_in_practice": 16, "own_therapy": True, "employment": "full time"},
    ),
    Person(
        "T6", "female", 36, "Clinical social worker", 2, "mentalization-based",
        attributes={"years_in_practice": 6, "own_therapy": False, "employment": "full time"},
    ),
)  # fmt: skip

CLIENTS = (
    Person(
        "C1", "female", 34, "Teacher", 0, problems="Depression, sleep problems",
        attributes={"previous_therapy": True, "referred_by": "general practitioner"},
        job="a teacher",
    ),
    Person(
        "C2", "female", 29, "Nurse", 1, problems="Panic disorder with avoidance",
        attributes={"previous_therapy": False, "referred_by": "general practitioner"},
        job="a nurse",
    ),
    Person(
        "C3", "male", 41, "Electrician", 0,
        problems="Depression; a sibling's long illness; unspoken childhood events",
        attributes={"previous_therapy": False, "referred_by": "general practitioner"},
        job="an electrician",
    ),
    Person(
        "C4", "male", 26, "Student", 2, problems="Social anxiety, low self-esteem",
        attributes={"previous_therapy": True, "referred_by": "student health service"},
        job="a student",
    ),
    Person(
        "C5", "female", 33, "Kindergarten teacher", 1,
        problems="Exhaustion, anger, childhood abuse",
        attributes={"previous_therapy": True, "referred_by": "general practitioner"},
        job="a kindergarten teacher",
    ),
    Person(
        "C6", "female", 48, "Accountant", 2, problems="Prolonged grief, depression",
        attributes={"previous_therapy": False, "referred_by": "general practitioner"},
        job="an accountant",
    ),
)  # fmt: skip

# Therapy sessions per dyad, and the day its first interview was held.
DYADS = (
    (24, dt.date(2026, 2, 2)),
    (16, dt.date(2026, 2, 9)),
    (28, dt.date(2026, 2, 16)),
    (20, dt.date(2026, 2, 23)),
    (18, dt.date(2026, 3, 2)),
    (30, dt.date(2026, 3, 9)),
)

# The interviews: (role, sequence number, focus, timing, weeks after the dyad's first interview).
THERAPIST_INTERVIEWS = (
    (1, "background", "during", 0),
    (2, "background", "during", 5),
    (3, "therapy", "during", 14),
    (4, "therapy", "after", 32),
)
CLIENT_INTERVIEWS = (
    (1, "background", "during", 2),
    (2, "therapy", "after", 34),
)
COMBINED_INTERVIEW = (1, "both", "after", 33)
SINGLE_INTERVIEW_CLIENTS = {"C5"}

# Transcripts that come from the sample files: (pseudonym, interview number) -> file, speakers.
SAMPLE_FILES = {
    ("T3", 3): ("dyad03_therapist_interview3.txt", {}),
    ("C3", 2): ("dyad03_client_interview2.txt", {"Magnus": "C3"}),
    ("C5", 1): ("dyad05_client_interview1.vtt", {"Kari": "C5"}),
}

THERAPIST_GUIDE = (
    "How did you come to be a therapist?",
    "Could you tell me a little about the family you grew up in?",
    "How would you describe your way of working?",
    "How would you describe your relationship with the client?",
    "Were there any special challenges?",
    "Did anything unexpected happen?",
    "Has this client triggered any special reaction in you?",
    "Do you think this therapy helped the client?",
    "How was it to end the therapy?",
)
CLIENT_GUIDE = (
    "Could you tell me a little about yourself, and how you came to therapy?",
    "How would you describe yourself when you started therapy?",
    "If you should give a short description of what has characterised your therapy, what "
    "would you say?",
    "How was your relationship to the therapist like?",
    "What was it that helped, do you think?",
    "Was there anything you were dissatisfied with?",
    "Is there anything you have been able to talk about in therapy that you had not talked "
    "about before?",
    "Which of your personal characteristics made it possible for you to use this therapy?",
    "How was it to end the therapy?",
)
TAILORED_QUESTIONS = (
    (
        "T3",
        "Last time you mentioned growing up in a small place yourself. Did that play a part in "
        "your work with this client?",
    ),
    (
        "T3",
        "You described coming back to the client's own pain again and again. How did you "
        "decide when to hold on and when to let go?",
    ),
    (
        "C3",
        "In the first interview you said that your sister was ill for a long time. Did that "
        "come into the therapy?",
    ),
)

MEETINGS = (
    {
        "date": dt.date(2026, 6, 10),
        "title": "Codebook workshop",
        "attendees": ("owner", "analyst1", "analyst2"),
        "agenda": "1. Read the dyad 3 transcripts together\n"
        "2. Agree the first codebook\n"
        "3. Plan the blind double coding of round 1",
        "notes": "We read both sides of dyad 3 aloud. The therapist's persistence and the "
        "client's irritation are two views of the same process and get separate codes. "
        "Seven areas agreed with their codes; definitions to be sharpened after round 1. "
        "Round 1: Aksel and Nora code seven transcripts blind.",
    },
    {
        "date": dt.date(2026, 10, 21),
        "title": "Theme development: the relationship",
        "attendees": ("owner", "analyst1", "analyst2", "auditor"),
        "agenda": "1. Agreement in round 1, code by code\n"
        "2. Revise the codebook\n"
        "3. Draft the overarching theme and its constituents",
        "notes": "Agreement was lowest for Persistence and Directness and challenge; the "
        "definition of Persistence now names the time dimension. 'Feeling worse' renamed "
        "'Worse before better' to keep the clients' own framing. One overarching theme with "
        "three constituents, each described from both perspectives.",
    },
)

# When each stage of the work happened, for the dates of the audit trail (seed._on); the
# meetings carry their own dates.
CALENDAR = {
    "study": dt.date(2025, 10, 20),
    "recruitment": dt.date(2025, 11, 3),
    "guides": dt.date(2026, 1, 12),
    "interviews": dt.date(2026, 2, 2),
    "coding": dt.date(2026, 6, 15),
    "memos": dt.date(2026, 9, 21),
}

MEMOS = (
    (
        "analyst1",
        "Persistence",
        "Persistence seen from both chairs",
        "In dyad 3 the therapist calls it being persistent and the client calls it not being "
        "let off the hook. Both say it annoyed him at the time and both say it was right. The "
        "irritation seems to be part of what made the persistence bearable: it was named.",
    ),
    (
        "analyst2",
        "Recognising a shared background",
        "One sentence that changed the room",
        "The therapist's single sentence about growing up in a small place is remembered by "
        "both. The client: 'then we were two people'. Check whether other dyads have a "
        "comparable moment of recognition or whether this is particular to dyad 3.",
    ),
)

CODE_UPDATES = (
    # code (current name), changes, at meeting number
    ("Feeling worse", {"name": "Worse before better"}, 2),
    (
        "Persistence",
        {
            "definition": "The therapist keeps returning, over weeks, to what matters although "
            "the client avoids it; the client may resent it at the time."
        },
        2,
    ),
)

SESSIONS = (
    {
        "name": "Round 1: blind double coding",
        "transcripts": (
            ("T1", 3),
            ("C1", 2),
            ("T2", 4),
            ("C2", 2),
            ("T3", 3),
            ("C3", 2),
            ("C5", 1),
        ),
        "coded": True,
    },
    {
        "name": "Round 2: dyads 4 and 6",
        "transcripts": (("T4", 3), ("C4", 2), ("T6", 3), ("C6", 2)),
        "coded": False,
    },
)

OVERARCHING_THEME = {
    "name": "A relationship strong enough to hold hard work",
    "description": "Both therapists and clients describe a therapy that demanded a lot and a "
    "relationship that made the demands bearable: the client was met as a person, the "
    "therapist persisted in a way the client could endure, and what had never been said "
    "could be told to somebody who stayed.",
}

CONSTITUENT_THEMES = (
    {
        "name": "Being met as a person, not a case",
        "codes": (
            "Being seen as a person",
            "Therapist as a real person",
            "Feeling safe",
            "Trust growing over time",
        ),
        "description": "The experience of being known as this particular person.",
        "client_description": "Clients watched closely whether the therapist was 'just doing "
        "the job'. Small signs (not looking at the clock, remembering details, being moved) "
        "told them they were not one in a queue, and safety grew from there.",
        "therapist_description": "Therapists describe being tested at the start and choosing "
        "to be present rather than professional: putting the notes away, letting the client "
        "see that they were moved.",
    },
    {
        "name": "Persistence the client could bear",
        "codes": (
            "Persistence",
            "Directness and challenge",
            "Explaining the method",
            "Irritation",
            "Rupture and repair",
        ),
        "description": "Holding on to the painful theme, and how the holding on was made bearable.",
        "client_description": "Clients resented being brought back to their own pain, were "
        "irritated for weeks, and in hindsight name exactly this as what helped, because the "
        "therapist explained why and mended what went wrong.",
        "therapist_description": "Therapists describe deciding to persist, naming the client's "
        "irritation aloud and explaining their reasons, and seeing the irritation as a sign "
        "that the client was present.",
    },
    {
        "name": "Daring to tell, and not being alone with it",
        "codes": (
            "Telling for the first time",
            "Emotional release",
            "Not alone anymore",
            "Therapist self-disclosure",
            "Recognising a shared background",
        ),
        "description": "Saying the unsaid to someone who neither looks away nor falls apart.",
        "client_description": "Clients tell of saying aloud, or reading aloud, what they had "
        "never told anybody, crying in front of another person for the first time since "
        "childhood, and of no longer being alone with it.",
        "therapist_description": "Therapists remember these sessions as turning points and "
        "describe a brief, deliberate showing of themselves (one sentence, visible tears) "
        "that made the client feel met as an equal.",
    },
)

# Exemplary quotes per constituent: (pseudonym, interview number, code, how the excerpt begins).
EXEMPLARY_QUOTES = {
    "Being met as a person, not a case": (
        ("C3", 2, "Being seen as a person", "I thought, she sees twenty people like me"),
        ("T3", 3, "Therapist as a real person", "I tried to stay calm and present"),
    ),
    "Persistence the client could bear": (
        ("C1", 2, "Persistence", "I always talked about other people"),
        ("T3", 3, "Irritation", "I said, I can see that it annoys you"),
    ),
    "Daring to tell, and not being alone with it": (
        ("C3", 2, "Not alone anymore", "Like walking into a dark room"),
        ("T3", 3, "Telling for the first time", "He read it, and then he cried"),
    ),
}

# The analysts' reading of some dyad × constituent cells: (dyad, constituent, verdict, note).
CONVERGENCE_MARKS = (
    (
        "Dyad 3",
        "Persistence the client could bear",
        "converge",
        "Both describe the same weeks: he was irritated, she named it and held on; both say "
        "it was right.",
    ),
    (
        "Dyad 1",
        "Daring to tell, and not being alone with it",
        "diverge",
        "The client remembers telling as her own decision; the therapist remembers a sentence "
        "of his own as what opened it.",
    ),
    (
        "Dyad 2",
        "Being met as a person, not a case",
        "converge",
        "Both place it in the first sessions: she tested whether he was 'just doing the job', "
        "he put the notes away.",
    ),
)
# Dyad 5 has no mark: its client is coded, its therapist not yet, and "one-sided" waits
# until both sides are coded. Dyads 4 and 6 (round 2, still open) are not coded at all.

# The report speaks of every client as "she" and every therapist as "he", for anonymity.
REPORT_SETTINGS = {
    "client_pronoun": "she",
    "therapist_pronoun": "he",
    "sensitive_terms": ["electrician", "kindergarten", "Nordvik", "Havstad", "Ekeli"],
}

RECRUITMENT_DECLINED_THERAPIST = "Had no capacity for four interviews during the spring."
RECRUITMENT_DECLINED_CLIENT = "Did not want the therapy discussed with researchers."
RECRUITMENT_DROPOUT = (
    "Withdrew after consenting: moved to another town and ended the therapy after three "
    "sessions, before the first interview."
)
