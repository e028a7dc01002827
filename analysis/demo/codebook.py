"""The demo study's codebook: seven areas, each with the codes the analysts apply.

Each code carries the words that anchor it in the transcripts, so the demo coders
place codings where a human coder plausibly would: on the sentence that says it.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CodeSpec:
    name: str
    colour: str
    definition: str
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    anchors: tuple[str, ...] = ()
    children: tuple["CodeSpec", ...] = field(default=())
    # Codes agreed later than the first workshop carry a rationale instead of the meeting.
    rationale: str = ""
    # A code created under a provisional name and renamed at the second meeting.
    first_name: str = ""


CODEBOOK = (
    CodeSpec(
        "The therapeutic relationship",
        "#4e79a7",
        "How therapist and client describe the bond between them and how it came about.",
        "Descriptions of the relationship as a whole, its quality and its development.",
        "Single interventions or techniques (code under the therapist's way of working).",
        children=(
            CodeSpec(
                "Feeling safe",
                "#76b7b2",
                "The client feels, or the therapist sees the client feel, safe enough to "
                "speak: not judged, not hurried, held by a calm other.",
                "Safety, calm, not being judged, the therapist not falling apart, fear that "
                "gives way.",
                "Trust described as growing over weeks (Trust growing over time).",
                "But she never looked at the clock. Not once.",
                anchors=(r"\bsafe\b", r"\bsafety\b", r"\bscared\b", r"\bcalm\b", r"\bjudge\b"),
            ),
            CodeSpec(
                "Being seen as a person",
                "#59a14f",
                "Being met as this particular person rather than as a case, a diagnosis or a "
                "number.",
                "Being remembered, the therapist's interest in the person beyond the symptoms.",
                "The therapist showing their own person (Therapist as a real person).",
                "I started to believe that she actually wanted to know me, not just my problem.",
                anchors=(
                    r"\ba case\b",
                    r"\bas a person\b",
                    r"\bwanted to know me\b",
                    r"\ba number\b",
                    r"\bremembered\b",
                    r"\binterested in\b",
                    r"\bin the queue\b",
                    r"\bmy problem\b",
                ),
            ),
            CodeSpec(
                "Trust growing over time",
                "#8cd17d",
                "Trust that is built slowly, often after the client has tested the therapist.",
                "Trust, testing, 'it took a while', slowly opening up.",
                "Immediate feelings of safety in one moment (Feeling safe).",
                "I said things to see how she would react.",
                anchors=(
                    r"\btrust",
                    r"\btook a (?:long )?while\b",
                    r"\btook a long time\b",
                    r"\bslowly\b",
                    r"\btested\b",
                ),
            ),
            CodeSpec(
                "Therapist as a real person",
                "#b6992d",
                "The therapist appears as a genuine, feeling human being behind the "
                "professional role.",
                "Being moved, being present, not pretending, the client noticing that the "
                "therapist is 'real'.",
                "Explicit telling about the therapist's own life (Therapist self-disclosure).",
                "I thought, she is a human being too.",
                anchors=(
                    r"\breal\b",
                    r"\bhuman being\b",
                    r"\bmoved\b",
                    r"\bpresent\b",
                    r"\bmachine\b",
                    r"\bdoing (?:my|her|his|their) job\b",
                ),
            ),
        ),
    ),
    CodeSpec(
        "The therapist's way of working",
        "#f28e2b",
        "What the therapist does in the sessions and how each party sees it.",
        "Interventions, stance, structure, the use of techniques.",
        "Effects on the client's self-understanding (Change and breakthroughs).",
        children=(
            CodeSpec(
                "Persistence",
                "#ffbe7d",
                "The therapist keeps returning to what matters although the client avoids it.",
                "Coming back to a theme, not letting the client escape, waiting, not giving up.",
                "Confronting or pointed interventions in a single moment (Directness and "
                "challenge).",
                "[therapist] kept coming back to me. It annoyed me.",
                anchors=(
                    r"\bpersist",
                    r"\bkept coming back\b",
                    r"\bcome back to\b",
                    r"\bcame back to\b",
                    r"\bcoming back to\b",
                    r"\blet me escape\b",
                    r"\bgive up\b",
                    r"\bgave up\b",
                    r"\bstay with it\b",
                    r"\bkept asking\b",
                    r"\bagain and again\b",
                    r"\bjust waited\b",
                ),
            ),
            CodeSpec(
                "Explaining the method",
                "#e15759",
                "The therapist makes the way of working transparent: what is done and why.",
                "Explaining, giving reasons, agreeing on the frame and the time available.",
                "Evaluations of whether the method helped (Technique versus person).",
                "But she explained why she did it.",
                anchors=(
                    r"\bexplain(?:ed|s)?\b",
                    r"\bwhat (?:I|she|he) was doing\b",
                    r"\bwhy (?:I|she|he) did\b",
                    r"\bunderstand the method\b",
                    r"\bwhat we are going to do\b",
                    r"\bunlimited time\b",
                    r"\blimited number of sessions\b",
                ),
            ),
            CodeSpec(
                "Technique versus person",
                "#ff9d9a",
                "How the techniques used relate to the person using them: method felt as "
                "artificial, or carried by the relationship.",
                "Exercises, chair work, homework, 'the method', 'a plan', seen against the person.",
                "Explanations of a technique's purpose (Explaining the method).",
                "I wanted more of her and less of the method.",
                anchors=(
                    r"\btechniques?\b",
                    r"\bexercises?\b",
                    r"\bthe method\b",
                    r"\bchair\b",
                    r"\bhomework\b",
                    r"\bmanual\b",
                    r"\ba plan\b",
                ),
            ),
            CodeSpec(
                "Directness and challenge",
                "#9c755f",
                "The therapist confronts, pushes or names painful things directly.",
                "Directness, fierceness, finding the sore spot, pushing, honest confrontation.",
                "Returning to a theme over many sessions (Persistence).",
                "Every session she found the sore spot within ten minutes.",
                anchors=(
                    r"\bdirect(?:ly)?\b",
                    r"\bfierce\b",
                    r"\bsore spot\b",
                    r"\bpush\b",
                    r"\bchalleng",
                    r"\bsay what you see\b",
                    r"\bhonest\b",
                ),
            ),
        ),
    ),
    CodeSpec(
        "Strain in the relationship",
        "#bab0ac",
        "Friction, disappointment and hard periods in the therapy.",
        "Irritation, anger, ruptures, periods of standstill or feeling worse.",
        "Sadness at the ending (Ending therapy).",
        children=(
            CodeSpec(
                "Irritation",
                "#d37295",
                "Irritation or anger directed at the therapist or the therapy.",
                "Annoyance, irritation, anger, being fed up with the therapist's insistence.",
                "Anger at people outside the therapy.",
                "I was irritated with her for weeks.",
                anchors=(r"\birritat", r"\bannoy", r"\bangry\b", r"\bdog with a bone\b"),
            ),
            CodeSpec(
                "Rupture and repair",
                "#fabfd2",
                "A break in the collaboration and how it was mended.",
                "Missed or cut-short sessions, lateness, apologies, letters, talking it through "
                "afterwards.",
                "Irritation that is not acted on (Irritation).",
                "The week after I told her, and she apologised.",
                anchors=(
                    r"\bapologi[sz]ed\b",
                    r"\bleft ten minutes early\b",
                    r"\bten minutes late\b",
                    r"\bletter afterwards\b",
                    r"\bcancel",
                    r"\bclosed door\b",
                    r"\bwrong thing\b",
                ),
            ),
            CodeSpec(
                "Worse before better",
                "#b07aa1",
                "Periods in which the therapy is felt as heavy, exhausting or making things "
                "worse, understood as part of the work.",
                "Hard work, exhaustion, leaving sessions feeling worse, standstill.",
                "Ordinary sadness at the end (Loss and gratitude).",
                "Sometimes I left feeling much worse.",
                anchors=(
                    r"\bworse\b",
                    r"\bexhausted\b",
                    r"\bhard work\b",
                    r"\bpainful\b",
                    r"\bnothing seemed to move\b",
                    r"\bheavy\b",
                ),
                first_name="Feeling worse",
            ),
        ),
    ),
    CodeSpec(
        "Self-disclosure and recognition",
        "#edc948",
        "Moments where the therapist shows something of their own life, and what it does.",
        "What the therapist tells or shows of themselves; the client's recognition.",
        "Genuineness shown without telling anything (Therapist as a real person).",
        children=(
            CodeSpec(
                "Therapist self-disclosure",
                "#f1ce63",
                "The therapist tells the client something about their own life or history.",
                "Children, own therapy, own childhood, own feelings said out loud.",
                "Being visibly moved without telling (Therapist as a real person).",
                "She said she knew that from her own childhood. Just that.",
                anchors=(
                    r"\bself-disclosure\b",
                    r"\bown childhood\b",
                    r"\bhad children\b",
                    r"\balso been in therapy\b",
                    r"\bin therapy (?:herself|himself)\b",
                    r"\btears in (?:my|her|his) eyes\b",
                    r"\bwhere I grew up\b",
                ),
            ),
            CodeSpec(
                "Recognising a shared background",
                "#a0cbe8",
                "Therapist and client discover that they share a background or experience.",
                "Growing up in a small place, 'so you know', recognising the other's world.",
                "Self-disclosure without a shared element (Therapist self-disclosure).",
                "He looked at me for a long time and then he said, so you know.",
                anchors=(
                    r"\bsmall place\b",
                    r"\brecognis",
                    r"\bso you know\b",
                    r"\bknew what (?:he|she|I) meant\b",
                    r"\bknew that from\b",
                    r"\bsad in public\b",
                ),
                rationale="Split off from self-disclosure while coding dyad 3: both partners "
                "describe the moment of recognising a shared small-town childhood.",
            ),
        ),
    ),
    CodeSpec(
        "Change and breakthroughs",
        "#86bcb6",
        "What changed for the client and the moments in which it happened.",
        "Turning points, first tellings, new understanding, no longer being alone.",
        "Symptom reports without a described change.",
        children=(
            CodeSpec(
                "Telling for the first time",
                "#499894",
                "The client says something out loud that they have never told anybody.",
                "Secrets, letters read aloud, 'I had never told anybody'.",
                "The emotional reaction that follows (Emotional release).",
                "I had never told anybody.",
                anchors=(
                    r"\bnever told anybody\b",
                    r"\bnever told anyone\b",
                    r"\bhad never (?:said|mentioned)\b",
                    r"\bout loud\b",
                    r"\bfirst time\b",
                    r"\bnot even my\b",
                    r"\bfinally said\b",
                    r"\bsecret\b",
                    r"\bwritten down\b",
                    r"\bwrote a letter\b",
                ),
            ),
            CodeSpec(
                "Emotional release",
                "#79706e",
                "Crying or a strong release of feeling in the session.",
                "Crying, tears, relief.",
                "The therapist's tears (Therapist as a real person).",
                "I cried. I had not cried in front of anyone since I was a boy.",
                anchors=(r"\bcr(?:y|ied|ying)\b", r"\btears\b", r"\brelieved\b"),
            ),
            CodeSpec(
                "Not alone anymore",
                "#d4a6c8",
                "The experience of no longer carrying one's difficulties alone.",
                "'Not alone with it', being accompanied, 'two people'.",
                "Safety in the room without the sense of company (Feeling safe).",
                "Whatever was in there, I would not meet it alone.",
                anchors=(r"\balone\b", r"\blonely\b", r"\bholding your hand\b", r"\btwo people\b"),
            ),
            CodeSpec(
                "Understanding oneself",
                "#9d7660",
                "New understanding of one's own patterns, history or reactions.",
                "Seeing the pattern, things making sense, being kinder to oneself.",
                "Understanding the therapist's method (Explaining the method).",
                "I see the pattern when it comes, the pulling away, and sometimes I can stop it.",
                anchors=(
                    r"\bunderstand (?:myself|why)\b",
                    r"\bunderstands (?:himself|herself)\b",
                    r"\bpattern\b",
                    r"\bmade sense\b",
                    r"\bmakes sense\b",
                    r"\bthe way I am\b",
                    r"\bnot the real problem\b",
                    r"\bkinder to\b",
                ),
            ),
        ),
    ),
    CodeSpec(
        "Ending therapy",
        "#ff9da7",
        "How the ending was prepared, lived and looked back on.",
        "The last sessions, preparation, what was taken along.",
        "Drop-out or breaks during the therapy (Rupture and repair).",
        children=(
            CodeSpec(
                "Preparing the ending",
                "#e377c2",
                "Therapist and client prepare for the end of the therapy together.",
                "Counting down sessions, talking about the ending, feeling ready or afraid.",
                "Feelings after the ending (Loss and gratitude).",
                "We counted down the last five sessions together.",
                anchors=(
                    r"\bending\b",
                    r"\blast (?:five )?sessions?\b",
                    r"\bcounted down\b",
                    r"\bprepared\b",
                    r"\bready\b",
                    r"\bfall back\b",
                ),
            ),
            CodeSpec(
                "Loss and gratitude",
                "#f7b6d2",
                "Missing the other, sadness and gratitude at the end.",
                "Missing, cards, thanks, sadness about the ending.",
                "Sadness about events outside the therapy.",
                "I had not expected to miss her.",
                anchors=(
                    r"\bmiss(?:ed)?\b",
                    r"\bgrateful\b",
                    r"\bthank you\b",
                    r"\bcard\b",
                    r"\bsadness\b",
                    r"\b(?:was|how) sad\b",
                    r"^Sad\b",
                    r"\bgrief\b",
                ),
            ),
        ),
    ),
    CodeSpec(
        "Life before therapy",
        "#8c8c8c",
        "The participant's history: family, earlier help, and for therapists their path "
        "into the profession.",
        "Childhood, family, earlier therapies, training.",
        "The current therapy.",
        children=(
            CodeSpec(
                "Family of origin",
                "#7f7f7f",
                "The family the participant grew up in and its climate.",
                "Parents, siblings, growing up, how feelings were handled at home.",
                "The participant's own partner and children.",
                "We did not talk about feelings at home.",
                anchors=(
                    r"\bfather\b",
                    r"\bmother\b",
                    r"\bparents\b",
                    r"\bsister\b",
                    r"\bbrother\b",
                    r"\bgrew up\b",
                    r"\bfamily\b",
                    r"\bat home\b",
                ),
            ),
            CodeSpec(
                "Becoming a therapist",
                "#c7c7c7",
                "How the therapist came to the profession and what formed them in it.",
                "Training, supervision, first jobs, own therapy as formation.",
                "The therapist's childhood (Family of origin).",
                "In the first year we had to be clients ourselves.",
                anchors=(
                    r"\btraining\b",
                    r"\bsupervis",
                    r"\bprofession\b",
                    r"\bhelpline\b",
                    r"\bfirst job\b",
                    r"\bmy own therapy\b",
                    r"\bclinical\b",
                ),
            ),
            CodeSpec(
                "Earlier experiences of help",
                "#bcbd22",
                "Help the client sought or received before this therapy.",
                "Earlier psychologists, health services, doctors, groups, waiting lists.",
                "This therapy.",
                "I had been to a psychologist before, when I was twenty.",
                anchors=(
                    r"\bpsychologist (?:when|before)\b",
                    r"\bstudent health\b",
                    r"\bgroup therapy\b",
                    r"\bdoctor\b",
                    r"\bnever said anything real\b",
                    r"\bwaiting list\b",
                ),
            ),
            CodeSpec(
                "Being the one who is fine",
                "#dbdb8d",
                "A long-standing role of managing, coping and not needing anything.",
                "'The one who is fine', the easy child, the right answers, pulling oneself "
                "together.",
                "Coping strategies taught in therapy.",
                "I was the easy child. Nobody worried about me.",
                anchors=(
                    r"\bone who (?:is|was) fine\b",
                    r"\bone who managed\b",
                    r"\beasy child\b",
                    r"\bright answers\b",
                    r"\bpull myself together\b",
                    r"\bdoing fine\b",
                    r"\bmanaging everything\b",
                ),
                rationale="Added after the first transcripts: several clients describe a "
                "life-long role of coping that the family-of-origin code did not capture.",
            ),
        ),
    ),
)

# Codes that the second coder sometimes chooses where the first chose the other.
CONFUSABLE = {
    "Persistence": "Directness and challenge",
    "Directness and challenge": "Persistence",
    "Irritation": "Rupture and repair",
    "Feeling safe": "Trust growing over time",
    "Telling for the first time": "Emotional release",
    "Therapist self-disclosure": "Recognising a shared background",
    "Technique versus person": "Explaining the method",
    "Being seen as a person": "Therapist as a real person",
    "Not alone anymore": "Feeling safe",
}


def leaf_codes() -> list[CodeSpec]:
    return [child for area in CODEBOOK for child in area.children]
