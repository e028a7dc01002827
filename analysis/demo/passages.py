"""Hand-written interview passages from which the demo transcripts are assembled.

Everything here is invented. A topic has a few ways of asking about it, answers
that open a reply and details that may follow; a transcript asks about a handful
of topics and answers each with one opening and a detail or two, so that no two
transcripts read alike. The openings exclude each other ("Yes, twice." and "No,
never."), the details do not.

In the therapist's passages {p}, {o}, {ps} and {self} stand for the client
(she/her/her/herself or he/him/his/himself; capitalised {P} and {Ps}) and
{orientation} for the therapist's own; in the client's passages they stand for
the therapist, and {job} for the client's work ("a teacher"). Places are already
pseudonymised ([town]), as the transcripts would be after the study's
replacement list ran.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """Ways to ask; answers that open a reply (one is chosen); details that may follow."""

    questions: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...] = ()

    @property
    def pieces(self) -> tuple[str, ...]:
        return self.leads + self.details


# Follow-ups that invite the interviewee to go on, whatever they go on to say.
PROBES = (
    "Mm. Can you say more?",
    "Mm-hm.",
    "Go on.",
    "Is there more to that?",
    "Yes?",
    "Can you tell me a bit more about that?",
    "And then?",
)

HESITATIONS = ("", "", "", "", "Mm. ", "Yes. ", "Hmm. ", "(pause) ", "Well. ")


THERAPIST_BACKGROUND = {
    "path into the profession": Topic(
        questions=(
            "How did you come to be a therapist?",
            "Could you tell me about your path into the profession?",
        ),
        leads=(
            "I did not plan it, to be honest. I studied biology first and worked in a lab for "
            "two years. Then I volunteered on a helpline at night, and I noticed that the "
            "conversations stayed with me much longer than the experiments did.",
            "I came to it late. I had worked in a kindergarten and as a carer before I started "
            "my training, and I think those years taught me more about patience than any "
            "textbook did.",
        ),
        details=(
            "My mother was a nurse on a psychiatric ward, so I grew up hearing about patients "
            "at the dinner table. Not names, of course. But I understood early that people can "
            "be very ill and still be very much themselves.",
            "The training was a shock in a good way. In the first year we had to be clients "
            "ourselves in group sessions, and I discovered how hard it is to sit on the other "
            "side. I still think about that when a new client comes in and does not know where "
            "to put their hands.",
            "And then I was lucky with my first job. I had a clinical supervisor who let me make "
            "mistakes and then talked them through with me, without making me feel stupid.",
        ),
    ),
    "family background": Topic(
        questions=(
            "Could you tell me a little about the family you grew up in?",
            "What was it like for you, growing up?",
        ),
        leads=(
            "I grew up in [town], a small place on the coast. My father was a fisherman and away "
            "for weeks at a time. My mother held everything together, and we children learned "
            "not to make trouble.",
            "There was a lot of laughter in our house, and a lot of arguing. My parents were very "
            "different. I learned early to read the mood in a room before I said anything.",
        ),
        details=(
            "We did not talk about feelings at home. Not because anybody was cruel, it was just "
            "not done. If you were sad you went for a walk. I think that is partly why I chose "
            "this work, to find the words we never had.",
            "My older brother was ill for many years when I was a teenager, and the whole family "
            "organised itself around him. I became the one who was fine. It took me a long time "
            "in my own therapy to see what that had cost.",
            "Reading the room is useful in this job, but I also have to watch that I do not "
            "become too careful with clients. Being careful can be a way of staying away.",
        ),
    ),
    "way of working": Topic(
        questions=(
            "How would you describe your way of working?",
            "What is your theoretical orientation, and how does it show in your work?",
        ),
        leads=(
            "My training is {orientation}, but over the years I have taken a lot from other "
            "traditions. In practice I am quite integrative. I try to follow the client rather "
            "than the manual.",
            "I would call myself {orientation}, and I mean that seriously. But I believe the "
            "relationship is the main tool, and I do not think that means being nice. Sometimes "
            "the most respectful thing is to say what you see.",
        ),
        details=(
            "I work quite structured in the beginning. I explain what we are going to do and why, "
            "and I ask for feedback at the end of each session. Many clients have had bad "
            "experiences with help, and I want them to know what is going on.",
            "I use techniques, of course, chair work, exposure, homework. But I have learned that "
            "a technique only works if the client feels that I am there behind it. Otherwise it "
            "becomes an exercise.",
        ),
    ),
    "own therapy and supervision": Topic(
        questions=(
            "Have you been in therapy yourself?",
            "What has your own therapy meant for your work?",
        ),
        leads=(
            "Yes, twice. Once during training, because it was required, and once ten years later "
            "because I needed it. The second one mattered most. My therapist was very patient "
            "with me, and I sometimes catch myself using her sentences.",
            "Yes, for three years in my thirties. It was the most important part of my education, "
            "although nobody called it that.",
        ),
        details=(
            "Supervision has been just as important. I have had the same supervisor for many "
            "years, and she knows my blind spots. She will say, you are protecting this client "
            "again, and she is usually right.",
            "In my own therapy I learned how it feels when a therapist looks at the clock. I "
            "promised myself I would never do that in front of a client. I have a clock behind "
            "the client's chair now.",
        ),
    ),
    "what helps": Topic(
        questions=(
            "What do you think helps clients in therapy?",
            "In your experience, what makes a therapy helpful?",
        ),
        leads=(
            "That they feel somebody is really interested in them. Not only in the symptoms. Most "
            "people can feel very quickly whether you are curious about them or just doing your "
            "job.",
            "I think it is a combination of safety and challenge. If it is only safe, nothing "
            "moves. If it is only challenge, people leave. The art is to find the right mixture "
            "for each person, and it changes from week to week.",
        ),
        details=(
            "Time, too. Some clients need many months before they trust you enough to tell you "
            "what they actually came for. I have learned not to rush that.",
            "And that they say things out loud that they have never said to anybody. Something "
            "happens when a secret is spoken in a room with another person who does not turn "
            "away.",
        ),
    ),
    "what is hard": Topic(
        questions=(
            "Are there kinds of clients you find especially difficult?",
            "What do you find hardest in your work?",
        ),
        leads=(
            "Clients who are very polite. I mean it. The angry ones I can work with, because at "
            "least I know where I am. The polite ones can keep me outside for months.",
            "Clients who remind me of my own family. I notice it in my body first, a kind of "
            "tiredness. Then I know I have to be careful not to become the one who is fine "
            "again.",
        ),
        details=(
            "When a client cancels again and again, I start to worry, and then I have to check "
            "whether the worry is mine or theirs. That is something I work on in supervision.",
            "Endings, too. I get attached, I suppose. I know the ending is part of the therapy, "
            "but there is always a little grief in me when a good therapy finishes.",
        ),
    ),
    "what sustains you": Topic(
        questions=(
            "What keeps you going in this work?",
            "How do you take care of yourself as a therapist?",
        ),
        leads=(
            "My family, and the sea. I go out in the boat whenever I can. Out there nobody needs "
            "anything from me.",
            "Honestly, the clients. When somebody leaves better than they came, I can live on "
            "that for weeks.",
        ),
        details=(
            "I have also learned to say no. For many years I took every client who was referred "
            "to me, and I was exhausted.",
            "And my colleagues. We have lunch together every day, and we talk about anything but "
            "work. (laughs)",
        ),
    ),
    "a client remembered": Topic(
        questions=(
            "Is there a client you often think back on?",
            "Could you tell me about a therapy that taught you something?",
        ),
        leads=(
            "There was a young man early in my career who came every week for two years and "
            "hardly said anything. In the last session he told me that the hour with me was the "
            "only hour in the week when he felt he existed. I have never forgotten that.",
            "A woman I saw many years ago who was very angry with me for months. I almost "
            "referred her on. I am glad I did not, because the anger turned out to be the way "
            "she tested whether I would stay.",
        ),
        details=(
            "It taught me that I cannot always see what is happening in the room. Something can "
            "be working even when I feel useless.",
            "I think of that therapy when I feel like giving up on somebody.",
        ),
    ),
}


THERAPIST_THERAPY = {
    "relationship": Topic(
        questions=(
            "How would you describe your relationship with {o}?",
            "How did the relationship between you and {o} develop?",
        ),
        leads=(
            "It took a while before I understood what kind of relationship it was. In the "
            "beginning {p} was very careful, almost formal. {P} answered what I asked, but "
            "nothing more.",
            "It was a warm relationship, but not an easy one. There were weeks when I felt we "
            "were really working together, and weeks when I felt I was talking to a closed "
            "door.",
        ),
        details=(
            "I think {p} trusted me quite early, earlier than {p} trusted {ps} own feelings. {P} "
            "came every week, on time, even when {p} had nothing to say.",
            "I liked {o} from the first session. {P} has a dry humour that came out when {p} "
            "relaxed, and when we could laugh together I knew {p} felt safe with me.",
            "I noticed that {p} watched me very closely, my face, my hands. I think {p} was "
            "checking whether I was really there or just doing my job. So I tried to be as "
            "present as I could.",
        ),
    ),
    "first impressions": Topic(
        questions=(
            "What was your first impression of {o}?",
            "Can you remember the first session with {o}?",
        ),
        leads=(
            "{P} came in with a list. Everything {p} wanted to talk about, written down. I "
            "remember thinking that this was somebody who was used to managing everything "
            "alone.",
            "My first impression was that {p} was very tired. Not sleepy, but worn down. {P} had "
            "been carrying a lot for a long time and nobody had noticed.",
        ),
        details=(
            "In the first session {p} said that {p} did not really believe therapy would help, "
            "but {ps} doctor had insisted. I said that was fine, and that {p} could tell me when "
            "it was not helping. I think {p} was surprised by that.",
            "{P} apologised a lot in the beginning. For being late, for crying, for taking up my "
            "time. I noted it, and much later we talked about where that came from.",
        ),
    ),
    "challenges": Topic(
        questions=(
            "Were there any special challenges?",
            "What was most demanding in this therapy?",
        ),
        leads=(
            "{P} had a way of leaving {ps} own pain and talking about other people instead. Every "
            "time we came close, {p} turned to {ps} family. I had to be quite persistent and "
            "come back to {o} again and again.",
            "The hardest part was that {p} did not want to feel anything in the session. {P} "
            "would explain and analyse, very intelligently. I kept asking what {p} felt right "
            "now, and {p} found that annoying.",
        ),
        details=(
            "I had to push {o} more than I usually do. We had a limited number of sessions, and I "
            "told {o} that early, so that we both knew we had to work.",
            "There was a period in the middle where nothing seemed to move. I wondered whether I "
            "was doing the wrong thing. In supervision I decided to stay with it rather than "
            "change the method, and I think that was right.",
        ),
    ),
    "irritation": Topic(
        questions=(
            "Was {p} ever irritated with you?",
            "Were there moments of irritation between you?",
        ),
        leads=(
            "Yes, several times. {P} was irritated when I came back to the same theme, and once "
            "{p} said that I was like a dog with a bone. I laughed, and then {p} laughed too, "
            "and it became easier.",
            "Yes. Once {p} was so angry that {p} left ten minutes early. I wrote a short letter "
            "afterwards, saying that I hoped {p} would come back and that we could talk about "
            "what happened. {P} came the week after, and that session was one of the most "
            "important.",
        ),
        details=(
            "I named it. I said, I can see that this annoys you, and I understand, but I think it "
            "matters. And I explained why I was doing it. I think it helped that I told {o} what "
            "I was doing and why.",
            "I think the irritation was a good sign, actually. It meant {p} was there, in the "
            "room, with me, and not somewhere far away. Polite clients are harder for me than "
            "irritated ones.",
        ),
    ),
    "self-disclosure": Topic(
        questions=(
            "Did you tell {o} anything about yourself?",
            "How did you think about sharing something of your own with {o}?",
        ),
        leads=(
            "Once. Just one sentence. {P} was talking about growing up in a small place where "
            "everyone knew everything, and I said that I recognised that from where I grew up. "
            "{P} looked at me for a long time. After that something opened.",
            "I am careful with self-disclosure. But at one point {p} asked me directly whether I "
            "had children, and I answered honestly. If I had refused, I think {p} would have "
            "felt that I was hiding behind the role.",
            "Only once, really. I told {o} that I had also been in therapy. {P} had been ashamed "
            "of needing help, and I wanted {o} to know that it is something people do, also "
            "people like me.",
        ),
        details=(
            "Otherwise I did not tell {o} much about my life, but I let {o} see that I was moved. "
            "When {p} talked about {ps} father's death I had tears in my eyes, and I did not hide "
            "them. {P} mentioned it later as important.",
        ),
    ),
    "turning points": Topic(
        questions=(
            "Did anything unexpected happen?",
            "Was there a turning point in the therapy?",
        ),
        leads=(
            "Around the tenth session {p} came in and said that {p} had written down something "
            "{p} had never told anybody. {P} read it aloud. Then {p} cried, and I think it was "
            "the first time {p} had cried in front of another person since {p} was a child.",
            "The turning point was small. {P} came in one day and said that {p} had told {ps} "
            "sister how {p} felt. Just that. But for {o} it was enormous, and I could see that "
            "{p} was proud.",
            "I was surprised when {p} started to talk about the shame. We had been working for "
            "months on the anxiety, and then suddenly {p} said that the anxiety was not the real "
            "problem. It made sense of everything.",
        ),
        details=(
            "What surprised me was how quickly {p} changed once {p} felt understood. It was as if "
            "{p} had been waiting for permission. The last third of the therapy went very "
            "fast.",
            "After that session something shifted. {P} came in more open, and {p} started to "
            "bring things {p} had never mentioned before.",
        ),
    ),
    "own reactions": Topic(
        questions=(
            "Has this client triggered any special reaction in you?",
            "What feelings did {p} awaken in you?",
        ),
        leads=(
            "Respect, mostly. {P} challenged {self} all the time, and {p} never gave up, even in "
            "the weeks when I could see how exhausted {p} was.",
            "Tenderness. And some anger on {ps} behalf, at the people who should have taken care "
            "of {o} and did not. I had to be careful that my anger did not take up space that "
            "belonged to {o}.",
        ),
        details=(
            "Sometimes worry, when {p} cancelled. I noticed that I thought about {o} between "
            "sessions more than I usually do. My supervisor asked me whether I was too "
            "protective of {o}. Maybe I was, at the beginning.",
            "I felt tired after our sessions, a heavy kind of tiredness. I think I was carrying "
            "some of what {p} could not carry yet. It became lighter as the therapy went on.",
        ),
    ),
    "technique and person": Topic(
        questions=(
            "How important were the techniques you used?",
            "What do you think mattered most, the method or the relationship?",
        ),
        leads=(
            "I used some exercises, chair work and some homework between sessions. {P} liked to "
            "understand the method. But I do not think the exercises were what helped. They "
            "were a way for us to do something together.",
            "Both, but in different phases. In the beginning the structure helped {o} feel safe. "
            "Later the structure was less important and the relationship carried the work.",
        ),
        details=(
            "{P} told me once that the exercises felt a bit artificial. I took that seriously and "
            "we did fewer of them. I think {p} needed more of me and less of the method, if that "
            "makes sense.",
            "I believe in the method I use, but I have seen it fail when the client does not "
            "trust the therapist. With {o}, the trust came first, and then the method could "
            "work.",
        ),
    ),
    "ending": Topic(
        questions=(
            "How was it to end the therapy?",
            "How did you and {o} prepare for the ending?",
        ),
        leads=(
            "We talked about the ending from quite early on, because I knew it would be hard for "
            "{o}. We counted down the last five sessions together.",
            "I was worried about the ending, because {p} had lost people suddenly before. So we "
            "made the ending something we did together, not something that happened to {o}.",
            "It was sad, and it should be sad. I told {o} that the sadness was a sign that "
            "something real had happened between us, and that {p} could keep that.",
        ),
        details=(
            "The last session was quiet. {P} brought me a small card. I was moved, and I told {o} "
            "that I had learned a lot from working with {o}. I meant it.",
            "Afterwards I missed our hour on Tuesdays for a while. That is normal for me, but with "
            "{o} it lasted longer than usual.",
        ),
    ),
    "outcome": Topic(
        questions=(
            "Do you think this therapy helped {o}?",
            "How do you see {ps} situation now?",
        ),
        leads=(
            "I think so. {P} says {p} can talk about {ps} family now without feeling that the "
            "floor disappears. {P} still has hard days. But {p} is not alone with it anymore, and "
            "I think that was the main thing.",
            "I am not sure. The symptoms are better, but {p} is still very hard on {self}. I hope "
            "the therapy planted something that will grow. Sometimes you only see the results "
            "years later.",
            "Yes. {P} understands {self} better now. {P} can see the pattern when it comes, the "
            "withdrawing, and {p} can choose to do something else.",
        ),
        details=(
            "{P} is back at work, part time. That was {ps} own goal, not mine. I think the bigger "
            "change is that {p} is kinder to {self}.",
            "{Ps} relationships have changed too. {P} told me that {p} said no to {ps} family for "
            "the first time this Christmas, and that nothing terrible happened.",
        ),
    ),
}


CLIENT_BACKGROUND = {
    "coming to therapy": Topic(
        questions=(
            "Could you tell me a little about yourself, and how you came to therapy?",
            "What brought you to therapy?",
        ),
        leads=(
            "I am {job}, and for a long time I thought everything was fine. Then I stopped "
            "sleeping. I lay awake every night going through everything I had done wrong that "
            "day.",
            "It was my doctor who sent me. I had been to her with back pain three times, and the "
            "third time she asked me how I was really doing, and I just started crying in her "
            "office.",
            "I had a panic attack in the supermarket. I thought I was dying. After that I was "
            "afraid to go anywhere, and my partner said that I had to get help or something "
            "would break.",
            "My mother died two years ago, and I did not grieve, I just worked. Then last autumn "
            "I could not get out of bed. I did not know what was wrong with me.",
        ),
        details=(
            "I had tried to manage it on my own for a long time. I think I waited at least a year "
            "too long.",
            "The waiting list was four months. By the time I got the letter I almost did not want "
            "to go anymore.",
        ),
    ),
    "self at the start": Topic(
        questions=("How would you describe yourself when you started therapy?",),
        leads=(
            "Closed. I was very good at giving the right answers. I had always been the one who "
            "managed, and I did not know how to be anything else.",
            "Exhausted. And ashamed, because I thought other people had real problems and I just "
            "had to pull myself together.",
            "Angry, I think, but I did not know it then. I was irritated with everybody, at work, "
            "at home. Now I can see that it was not really about them.",
            "Scared. Scared of what would come out if I started talking. I had a feeling that "
            "there was a lot down there, and that once I opened the door I could not close it.",
        ),
        details=(
            "I had been like that for so long that I thought it was just my personality.",
            "Everybody at work thought I was doing fine. That was the strange part.",
        ),
    ),
    "earlier help": Topic(
        questions=(
            "Had you been in therapy before?",
            "What experiences did you have with getting help before this?",
        ),
        leads=(
            "I went to a psychologist when I was twenty. I never said anything real there. I sat "
            "there for an hour every week and talked about my studies. She was kind, but she "
            "never asked.",
            "No, never. In my family you did not go to a psychologist. You went for a walk or you "
            "went to work. I was the first one.",
            "I had a few sessions at the student health service years ago. It was all about "
            "techniques, breathing and lists. It helped a little, but I felt like a case, not a "
            "person.",
        ),
        details=(
            "So I did not have high hopes for this one, to be honest.",
            "I think I went there to prove that I was fine. That is not a good reason to go to "
            "therapy. (laughs)",
        ),
    ),
    "family": Topic(
        questions=(
            "Could you tell me about the family you grew up in?",
            "What was your family like when you were a child?",
        ),
        leads=(
            "My father drank. Not every day, but enough. We never knew which father would come "
            "home, so we learned to read him very quickly. I still do that with everybody.",
            "I grew up in [town]. Everybody knew everybody, and you could never be sad in public. "
            "If you were sad, people talked. So you smiled.",
            "My older sister was ill for many years, and all the attention went to her. I was the "
            "easy child. Nobody worried about me, and I made sure they did not have to.",
            "My parents divorced when I was eight. I lived with my mother and saw my father every "
            "other weekend. I always felt I had to take care of her.",
        ),
        details=(
            "We did not talk about feelings at home. You were supposed to manage.",
            "I think that is where I learned to be the one who is fine. It took me forty years "
            "to see it.",
        ),
    ),
    "expectations": Topic(
        questions=(
            "What did you expect from therapy?",
            "What were you hoping for when you started?",
        ),
        leads=(
            "I expected to be told what to do. Some exercises, some advice. I did not expect that "
            "it would be so much about the relationship with the therapist.",
            "I did not expect anything. I thought I would go a few times and then quit, like I "
            "always do.",
            "I hoped that somebody could fix me. I know that sounds naive. I wanted the "
            "sleeplessness to go away and not much more.",
        ),
        details=(
            "I also wanted to understand why I am the way I am. I was tired of repeating the same "
            "pattern in every relationship.",
            "So far it is quite different from what I imagined. Harder, and better.",
        ),
    ),
}


CLIENT_THERAPY = {
    "characterising the therapy": Topic(
        questions=(
            "If you should give a short description of what has characterised your therapy, "
            "what would you say?",
        ),
        leads=(
            "Hard work. Really hard work. But also safe. I know that sounds strange together.",
            "A lot of talking and a lot of silence. I had never been silent with another person "
            "like that before without it being awkward.",
            "Honest. {P} was honest with me, and slowly I became honest with {o}, and then with "
            "myself.",
            "Like cleaning out an attic. Things I had not looked at for years, and some of it I "
            "wanted to throw away, and some of it I wanted to keep.",
        ),
        details=(
            "Every week I thought about not going, and every week I went.",
            "It was not what I had imagined therapy would be. I thought I would lie on a couch "
            "and talk about my childhood. (laughs)",
        ),
    ),
    "feeling safe": Topic(
        questions=(
            "Was there a time when you felt safe with {o}?",
            "Can you say something about feeling safe in the therapy?",
        ),
        leads=(
            "At the start I was scared of {o}. Not of {o} as a person, but of the situation. But "
            "{p} never looked at the clock. Not once. I noticed that.",
            "I felt safe when I realised that {p} would not fall apart, whatever I said. I could "
            "tell {o} the worst things and {p} was still sitting there, calm.",
            "It took a long time. Maybe three months. I tested {o}, I think. I said things to see "
            "how {p} would react, and when {p} did not judge me I slowly started to trust {o}.",
        ),
        details=(
            "{P} always remembered what I had said the week before. Small things, the name of my "
            "dog, what my boss had said. That made me feel safe, that I was not just a number.",
        ),
    ),
    "relationship": Topic(
        questions=(
            "How was your relationship to the therapist like?",
            "How would you describe your relationship with {o}?",
        ),
        leads=(
            "Like walking into a dark room where you know there is something terrible, but "
            "somebody is holding your hand. Whatever was in there, I would not meet it alone.",
            "Not like a friend. More like someone who knew what {p} was doing, and who also "
            "cared. Both. If {p} had only been kind I would not have trusted {o}.",
            "It was a real relationship, even if it was also professional. I started to believe "
            "that {p} actually wanted to know me, not just my problem.",
        ),
        details=(
            "{P} was important to me. Sometimes I think I came as much to see {o} as to work on my "
            "problems. I am a little embarrassed to say that.",
        ),
    ),
    "what helped": Topic(
        questions=(
            "What was it that helped, do you think?",
            "What did {p} do that made a difference?",
        ),
        leads=(
            "That {p} did not let me escape. I always talked about other people, and {p} kept "
            "coming back to me. It annoyed me, but {p} was right.",
            "{P} was very direct, almost fierce. Every session {p} found the sore spot within ten "
            "minutes. Sometimes I left feeling much worse. But {p} always helped me put myself "
            "together before I went out the door.",
        ),
        details=(
            "{P} did not give up on me. There were weeks when I came and said nothing, and {p} "
            "just waited. {P} said that {p} would be there next week too. And {p} was.",
            "{P} explained everything. Why we did an exercise, why {p} asked about my childhood. I "
            "need to understand things, and {p} understood that about me.",
        ),
    ),
    "dissatisfaction": Topic(
        questions=(
            "Was there anything you were dissatisfied with?",
            "Were you ever irritated with {o}?",
        ),
        leads=(
            "Sometimes I felt {p} was using a technique on me. Like, now we do the exercise. It "
            "did not feel completely real then. It helped anyway, but I wanted more of {o} and "
            "less of the method.",
            "Yes, I was irritated with {o} for weeks. {P} kept asking what I felt, and I did not "
            "know. I wanted {o} to stop. But {p} explained why {p} did it, and I understood that "
            "{p} was not doing it to hurt me.",
            "I was dissatisfied that there was so little time. Twenty sessions is not much when "
            "you have carried something for twenty years.",
        ),
        details=(
            "And once {p} was ten minutes late and did not say anything about it. I was angry for "
            "the whole session but did not say it. The week after I told {o}, and {p} "
            "apologised. That was important, actually.",
        ),
    ),
    "the therapist as a person": Topic(
        questions=(
            "Did {p} tell you anything about {self}?",
            "Did you learn anything about {o} as a person?",
        ),
        leads=(
            "When I talked about [town] and how you could never be sad in public, {p} said that "
            "{p} knew that from {ps} own childhood. Just that. But then I was not a case anymore. "
            "Then we were two people.",
            "Not much. I knew {p} had children, because {p} mentioned it once. I liked that {p} "
            "did not pretend to be a machine.",
            "{P} did not tell me about {ps} life, but I could see that {p} was moved sometimes. "
            "Once {p} had tears in {ps} eyes. I thought, {p} is a human being too.",
        ),
        details=(
            "I asked {o} once if {p} had ever been in therapy {self}, and {p} said yes. I was "
            "surprised how much that helped. It was not so shameful anymore.",
        ),
    ),
    "telling for the first time": Topic(
        questions=(
            "Is there anything you have been able to talk about in therapy that you had not "
            "talked about before?",
        ),
        leads=(
            "What happened with my uncle. I had put it away for twenty years. I thought nobody "
            "should have to hear it. Now I can say it out loud, almost as if it happened in "
            "another life.",
            "I wrote a letter and read it to {o}. I had never told anybody. I cried. I had not "
            "cried in front of anyone since I was a child. And {p} did not look away, and {p} "
            "did not fall apart either.",
            "The accident. I was driving, and my friend was badly hurt. I had never told anybody "
            "that I still dream about it every week, not even my partner. When I said it, the "
            "room did not collapse. {P} just nodded and said that it must have been very "
            "lonely.",
            "That I was relieved when my father died. I had been so ashamed of that. When I "
            "finally said it, {p} said that it made sense, and I cried for the whole session.",
        ),
        details=(
            "I had carried it alone for so long that I did not know how heavy it was until I put "
            "it down.",
        ),
    ),
    "technique and person": Topic(
        questions=(
            "What do you think mattered more, the methods or the person?",
            "How did you experience the exercises and techniques?",
        ),
        leads=(
            "The person, definitely. The methods were fine, but I could have read them in a book. "
            "What I could not get from a book was somebody who was there every week and "
            "remembered me.",
            "Both. I liked that {p} had a plan. But the plan only worked because I trusted {o}.",
            "I think {p} was the method. I do not know what {ps} theory was. I just know that {p} "
            "was real with me.",
        ),
        details=(
            "The exercises felt a bit silly at first, talking to an empty chair. But then "
            "something happened in the chair work that I cannot explain. I said things to my "
            "mother that I had never said.",
        ),
    ),
    "own contribution": Topic(
        questions=(
            "Which of your personal characteristics made it possible for you to use this therapy?",
        ),
        leads=(
            "I am stubborn. I wanted to get it done. {P} told me early that we did not have "
            "unlimited time, so we had to work. That suited me. I like a purpose.",
            "I am curious, I think. Even when it was painful, I wanted to know why. That kept me "
            "going.",
            "I am not sure I had any. I almost quit three times. I think it was more {ps} "
            "patience than my characteristics.",
        ),
        details=(
            "Maybe also that I am used to hard work. I did the homework, every week. I wanted to "
            "show {o} that I took it seriously.",
        ),
    ),
    "ending": Topic(
        questions=(
            "How was it to end the therapy?",
            "What was the last session like?",
        ),
        leads=(
            "Sad. I was surprised how sad. I had not expected to miss {o}. But I also felt ready, "
            "and {p} had prepared me for it for weeks.",
            "I was afraid of the ending. I was afraid I would fall back. But it has been four "
            "months now, and I am still standing.",
            "In the last session we talked about what I had learned. {P} asked what I would take "
            "with me. I said that I am not alone with it anymore. I am grateful for that.",
        ),
        details=(
            "I brought {o} a card. I wrote thank you and nothing more, because I did not know how "
            "to write the rest.",
        ),
    ),
    "change": Topic(
        questions=(
            "Has anything changed for you?",
            "How are you doing now?",
        ),
        leads=(
            "I feel less alone. That is the biggest thing. The problems are still there, but I am "
            "not alone with them.",
            "I understand myself better. I see the pattern when it comes, the pulling away, and "
            "sometimes I can stop it.",
        ),
        details=(
            "And I sleep again. I can talk about my family without feeling that the floor "
            "disappears.",
            "I am kinder to myself, too. I still hear the old voice, but I do not always believe "
            "it.",
        ),
    ),
}


OPENINGS = {
    ("therapist", 1): "Thank you for taking part. In this first interview I would like to hear "
    "about you as a person and as a therapist.",
    ("therapist", 2): "Welcome back. Last time we talked about your training. Today I would like "
    "to hear a little more about your background and what shapes you as a therapist.",
    ("therapist", 3): "Thank you for coming back. Last time we talked about your own path into "
    "the profession. Today I would like to hear about your work with [client].",
    ("therapist", 4): "The therapy has ended since we last met. I would like to hear how you look "
    "back on your work with [client] now.",
    ("client", 1): "Thank you for taking part. I would like to start with you as a person, before "
    "we talk about the therapy.",
    ("client", 2): "It is a while since the therapy ended. I would like to hear how you look back "
    "on it.",
    ("client", 0): "This is our only interview, so I will ask both about you as a person and "
    "about the therapy.",
}

CLOSING_QUESTION = "Is there anything we have not talked about that you would like to add?"

CLOSINGS = {
    ("therapist", "background"): (
        "No, I think we have covered it. It has been good to think about it out loud, actually.",
        "Perhaps that this work has changed me more than I expected when I started.",
        "No. It was interesting to tell the story from the beginning.",
    ),
    ("therapist", "therapy"): (
        "Only that I am grateful to {o}. {P} taught me something about patience.",
        "Perhaps that I would do some things differently today. But not the main things.",
        "No, I think we have covered it. It has been good to think about it out loud, actually.",
    ),
    ("client", "background"): (
        "No, I think that was it. It felt strange to talk about myself for so long.",
        "Only that I am curious about what will come out of the therapy.",
        "No. Thank you for listening.",
    ),
    ("client", "therapy"): (
        "No. Only that I hope other people get the help I got.",
        "I was nervous about this interview, but it was fine. Thank you for listening.",
        "Just that it was worth it. Even the hard parts.",
    ),
}

THANKS = ("Thank you very much.", "Thank you, that was very helpful.", "Thank you for your time.")
