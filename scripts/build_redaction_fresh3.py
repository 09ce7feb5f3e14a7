"""Build alongside/listening/data/redaction_fresh3.jsonl, a fourth held-out set for the redaction
engine (issue 16), written blind like redaction_fresh.jsonl and redaction_fresh2.jsonl: its
author did not read the engine, its rules, its documentation or the other sets' sentences, and
the engine was never run on these sentences while they were written. It leans on the hardest
kinds: names that are also words (Grace, Will, May, Rose, Storm...) beside the same words used
as words, dates of birth in every form beside dates that are not, NI numbers in every spacing
beside codes that are not. It is meant to be scored once, at the end, and never tuned on.

Every sentence below was written by us: none is a real contribution and every detail is made
up. Phone numbers come from Ofcom's ranges kept for drama (07700 900xxx, 01632 960xxx,
020 7946 0xxx, 0113 496 0xxx, 0161 496 0xxx, 0117 496 0xxx), so none rings a real person.

Entries are marked up and labelled exactly as in scripts/build_redaction_fresh2.py (its
docstring gives the marks and the labelling conventions, decided before anything was scored).

    python scripts/build_redaction_fresh3.py          # rewrite the file
    python scripts/build_redaction_fresh3.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_redaction_eval import rows_to_jsonl, write_or_check  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "alongside/listening/data/redaction_fresh3.jsonl"

ENTRIES = [
    # --- names that are also ordinary words, capitalised or not, with and without a cue
    "[[n:Chase]] keeps texting me at 2am asking where I am",
    "honestly [[n:dawn]] is the only neighbour who talks to me now",
    "My support worker [[n:Summer]] said to write everything down in a diary",
    "[[n:sky]]s dad hasnt paid a penny since march",
    "I told [[n:Bill]] I wasn't coming back to the house, not this time",
    "[[n:pat]] from the allotments dropped some veg round for us",
    "me and [[n:holly]] are sofa surfing at her mates place til friday",
    "[[n:Robin]] the vicar says we can use the church hall on Tuesdays",
    "[[n:jack]] wont take his tablets unless I stand over him",
    "[[n:poppy]] is 4 and doesnt understand why her dad isnt here",
    "[[n:hunter]] got excluded again, third time this term",
    "[[n:Storm]] has been sleeping in my bed since the police came",
    "[[n:Angel]] rang me crying from the bus stop outside tesco",
    "honey can you tell the team I cant make it, its [[n:Mark]]",
    "[[n:lily]] and [[n:iris]] are twins, theyre 7 and they never stop",
    "[[n:rich]] said he'd sort the rent but he never did",
    "[[n:Sunny]] from the mosque brought food round all week",
    "[[n:Autumn]] hasn't answered her phone since Friday and I'm scared",
    "It's [[n:April]] here, the one who rang about the gas meter",
    "[[n:June]] next door is 82 and she's been a rock to me",
    "[[n:may]] said to tell you she's safe now",
    "[[n:grace]] wont let me see the baby",
    "[[n:Jordan]] and me split up in august",
    "[[n:faith]] reckons i should go to the gp about my nerves",
    "[[n:hope]]'s nan is having her this week so I can work",
    "My keyworker [[n:Joy]] is off sick so nobody's picked up my forms",
    "[[n:rose]] n me r not speaking after what she said at the party",
    "[[n:Priya Sharma]] from housing never called back",
    "[[n:tomasz]] is my landlord, he barely answers",
    "[[n:Adebayo Okafor]] is my son's dad, we're not together now",
    "voicemail: hi it's [[n:Dawn Fletcher]] again, calling about my son",
    "this is [[n:Bill]], [[n:Pat]]'s husband, she asked me to give you a ring",
    "Note: spoke with [[n:Frank]]'s daughter [[n:Ruby]], she is worried about him",
    "form - name: [[n:Mark Ellis]]",
    "names=Bear|[[n:Bear]]'s in a bad way again, he's not eating",
    "my brother [[n:Miles]] and his wife [[n:Amber]] have took us in for now",
    "cheers [[n:Sky]] x",
    "Thanks again, [[n:Robin]]",
    "i left the kids with [[n:summer]] while i went to the food bank",
    "WhatsApp from [[n:Honey]]: running late, save me a seat",
    # --- dates of birth in every form
    "I was born on the [[d:fourteenth of February 1989]] if you need it",
    "DOB [[d:03/11/1976]]",
    "d.o.b. [[d:7.8.02]]",
    "my birthday's the [[d:3rd of June]] and I'll be on my own again",
    "bday is [[d:22 dec]] so christmas is always rubbish",
    "[[n:Frank Hollis]], b. [[d:12 Mar '84]]",
    "I was born in [[d:June 1991]], same week as my cousin",
    "he was born [[d:30th sept 2015]] so he's in year 6",
    "Date of birth: [[d:1 Jan 1960]]",
    "my daughter's birthday is [[d:9 April]], she'll be 6",
    "born [[d:4th aug 1993]], a proper leo my mum says",
    "I was born on the [[d:twelfth of May nineteen eighty-seven]]",
    "dob: [[d:1985-04-17]]",
    "it was my birthday yesterday, [[d:5th of October]], nobody remembered",
    "hes born [[d:2/2/2019]] and hes never been to the dentist",
    "born [[d:Nov 2001]], in case the form asks",
    "her dob is the [[d:8th of march 2010]]",
    "[[n:Grace]] b.[[d:23/09/88]]",
    "I turn 40 on the [[d:2nd of December]] and I've got nothing to show for it",
    "Birthday: [[d:Aug 17]]",
    "born in [[d:feb '97]] so im 29 now",
    "dob [[d:06 06 1981]]",
    "[[n:jordan]] was born on the [[d:ninth of january 2020]], three weeks early",
    "my bday's the [[d:1st of may]]",
    # --- NI numbers
    "my NI is [[ni:QQ 12 34 56 C]]",
    "national insurance: [[ni:AB123456D]]",
    "ni no. [[ni:jt 73 91 04 b]]",
    "NINO: [[ni:NH-55-20-81-A]]",
    "N I number is [[ni:P R 6 2 4 1 9 0 A]]",
    "my ni is [[ni:ke 40 18 77]], I don't know the letter at the end",
    "NI: [[ni:WL 930274]]",
    "ni number [[ni:ze/71/33/08/d]]",
    "here's my NI so you can check: [[ni:GB 44 55 66 D]]",
    "Ni number [[ni:ms.20.47.91.c]]",
    "my national insurance is [[ni:OO 98 27 13 B]] i think",
    "form: NI No - [[ni:RH 64 0 3 29 C]]",
    "his ni is [[ni:y z 8 8 1 4 0 2 d]]",
    "NI# [[ni:LS774028B]]",
    "I gave them my national insurance, [[ni:CE 59 36 10 A]], and they still lost it",
    "NI - [[ni:hw 21 85 47]]",
    "N.I. [[ni:JB 27 30 61 C]] for the claim",
    "nat ins no [[ni:AZ 667 781 C]]",
    "it's [[ni:jp482719 a]] my ni",
    "[[n:Rose Ambler]], NI [[ni:SK 11 20 93 D]], [[d:17/05/1990]]",
    # --- phone numbers
    "ring me on [[p:07700 900 412]] after 6",
    "my mobile is [[p:07700900873]]",
    "work number [[p:0161 496 0732 ext 204]]",
    "call [[p:+44 7700 900519]] if no answer on the other one",
    "my number is [[p:oh seven seven oh oh, nine oh oh, three one six]]",
    "landline [[p:01632 960 184]] but it's usually my mum who answers",
    "my office line is [[p:020 7946 0558 x12]]",
    "[[p:0113-496-0291]] is the best one to get me on",
    "new phone: [[p:07700.900.645]]",
    "home phone [[p:(0117) 496 0823]]",
    "text my mum on [[p:07700 900 087]] if you can't get me",
    "[[n:Will]]'s dad is on [[p:+44 (0)161 496 0419]], don't tell him where we are",
    "my new number: [[p:077009 00958]]",
    "its [[p:0 7 7 0 0 9 0 0 2 7 1]] sorry my keyboards broke",
    "you can get me at work on [[p:0161 4960 555 extension 3]], ask for [[n:Pat]]",
    # --- addresses and postcodes
    "we live at [[a:14 Cherry Tree Lane]], [[pc:M14 6QT]]",
    "I'm at [[a:number 7 on Albert road]], the one with the blue door",
    "[[a:flat 3, 22 Princess St, Leeds]]",
    "we rent [[a:Rose Cottage, Mill Lane]] off a farmer",
    "postcode is [[pc:ls9 7ab]]",
    "im at [[a:41b mayfield avenue]] til they sort the flat",
    "Address: [[a:Flat 12, Kingsway House, 5 Ducie St, Manchester]] [[pc:M1 2JW]]",
    "can you post it to [[a:9 Holly Close]] please",
    "my nan's at [[a:3 the crescent, bradford]] [[pc:bd5 8lx]]",
    "postcode's [[pc:BS3 4RT]] if that helps",
    "we moved to [[a:118 Hope Street]] last month",
    "[[a:The Willows, Church Road, Didsbury]]",
    "I've got [[a:room 4, 27 Grange Rd]], the landlord lives downstairs",
    "send it to [[a:no. 62 Jordan Way]]",
    "pc [[pc:sw9 8ef]]",
    "[[n:Autumn]] lives at [[a:flat 9, 30 Lark Hill, Salford]], [[pc:M6 5PU]]",
    # --- emails
    "my email is [[e:shazza89 at hotmail dot co dot uk]]",
    "email me on [[e:jordan.m.1990@outlook.com]]",
    "[[e:rosie_w@yahoo.co.uk]] is best",
    "my daughters email is [[e:daisy dot hart at gmail dot com]]",
    "email: [[e:tomasz.k @ wp.pl]]",
    # --- tempting: the same words as ordinary words
    "I hope this is the right number to text",
    "they said the decision will come in May",
    "there's a rose bush under my window and it's the only nice thing left",
    "will do, thanks for getting back to me",
    "can you mark the form as urgent please",
    "we watched a programme about the Jordan river last night, first time I've sat down in weeks",
    "she gave me a pat on the back and said well done",
    "it was a sunny day so we went to the park for once",
    "he's a jack of all trades but he can't keep a job",
    "I've got no faith in the police anymore",
    "by the grace of god we got out before he came home",
    "the leaves start falling in autumn and I always get low",
    "the storm last night took half the fence down",
    "my girl's an angel honestly, she never complains",
    "I put honey in her tea for the cough",
    "it's miles away and the bus costs a fortune",
    "the council said my bill would be frozen till april",
    "they're rich, they don't get what it's like",
    "the sky was pink this morning when I was walking to work",
    "I'll be up at dawn again, I can't sleep",
    "to be frank I don't know how long I can keep this up",
    "summer holidays are the worst, six weeks with no free school meals",
    "june was a rough month for all of us",
    "we got a holly wreath from the church at christmas",
    "a robin comes to the feeder every morning, it cheers me up",
    "the rent goes up in April and I don't know what we'll do",
    # --- tempting: dates that are not dates of birth
    "my appointment is on 14 March at 10",
    "court date is the 2nd of December",
    "I'm born and bred in Salford, never lived anywhere else",
    "he gets out on the 19th of July and I'm terrified",
    "our anniversary was 5 May and he forgot it again",
    "the baby's due on 3 January",
    "I was born in 1987 and I've never been this skint",
    "my mum passed on the 4th of April 2019",
    "the hearing's been moved to 11/02/2027",
    "payday is the 28th so I'm just about getting by",
    # --- tempting: codes that are not NI numbers
    "order ref KD 48 29 17 and the parcel still hasn't come",
    "the car reg was LK19 XMP, I wrote it down",
    "get the X43 into town then walk",
    "my claim reference is HB 2024 00871",
    "the tracking number is JD0001234567",
    "the meeting's in room B12 on the second floor",
    # --- tempting: numbers that are not phone numbers
    "I owe £1,250 in rent arrears and it keeps going up",
    "meet at 10.30 at the library?",
    "I rang the helpline on 116 123 last night",
    "the council's number is 0113 496 0000 but no one picks up",
    "got £84.20 left till friday",
    # --- tempting: places that are not addresses
    "there's a new hostel opening on Albert Road",
    "my dad was on Ward 12 at the general for a month",
    "we used to live near Lark Hill before it all went wrong",
]


def build() -> str:
    # All of them held out: nothing here was seen while the rules were written.
    return rows_to_jsonl(ENTRIES, part="fresh3", distinct=True)


def main() -> int:
    return write_or_check(OUT, build(), len(ENTRIES), "build_redaction_fresh3.py")


if __name__ == "__main__":
    sys.exit(main())
