"""Build alongside/listening/data/redaction_fresh2.jsonl, a third held-out set for the redaction
engine (issue 16), written blind like redaction_fresh.jsonl: its author did not read the engine,
its rules, its documentation or the other sets' sentences, and the engine was never run on these
sentences while they were written. It leans on the hardest kinds: names that are also words
(Grace, Will, May, Rose, Storm...) beside the same words used as words, dates of birth in every
form beside dates that are not, NI numbers in every spacing beside codes that are not. It is meant
to be scored once, at the end, and never tuned on.

Every sentence below was written by us: none is a real contribution and every detail is made
up. Phone numbers come from Ofcom's ranges kept for drama (07700 900xxx, 01632 960xxx,
020 7946 0xxx, 0113 496 0xxx, 0161 496 0xxx, 0117 496 0xxx), so none rings a real person.

Each entry marks its identifying details inline as [[code:text]]:
    n name, p phone, e email, a address, pc postcode, d date_of_birth, ni ni_number
An entry may start with "names=Shorty|" to say which names the team added to its own list.

Labelling conventions (decided before anything was scored):
- a word that is also a name (Grace, Will, May, Rose...) is a name only when it names a person,
  in capitals or not; a street or house named after one (Hope Street, Rose Cottage) is part of
  the address, not a name;
- a phone span covers the whole number as written, spoken digits included, and any extension
  ("ext 204", "x204", "extension 12"); organisations' helplines are not labelled, even when
  their number is in a drama range;
- an NI span covers the number however it is spaced or separated, with or without the final
  letter, and also when its prefix is one the tax office never issues (the person still gave
  it as their number); order numbers, car registrations, bus routes and rooms are not NI;
- a date of birth is any date given as the day someone was born or their birthday (day and
  month, or month and year); a year alone ("born in 1987") is not, nor are appointments,
  court dates or release dates; a leading "the" stays outside the span;
- an address span runs from the flat, room or house number ("flat 3", "number 14", "no. 8"),
  or from the house name when there is no number, to the end of the street name, or of the
  town when one follows; the postcode is its own span; a street without a number, a ward, a
  hotel room, a bus route or an age is not an address;
- a first name and surname together are one name span; a name inside an email address is
  part of the email; due dates and anniversaries are not dates of birth.

    python scripts/build_redaction_fresh2.py          # rewrite the file
    python scripts/build_redaction_fresh2.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_redaction_eval import rows_to_jsonl, write_or_check  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "alongside/listening/data/redaction_fresh2.jsonl"

ENTRIES = [
    # --- names that are also ordinary words, and ordinary names
    "[[n:Grace]] said she'd come with me to the jobcentre next time.",
    "me n [[n:jordan]] have been kipping at his nans since the fire",
    "[[n:Hope]] from the food bank rang me back, which I honestly didn't expect.",
    "my sister [[n:Rose]] keeps telling me to just leave him",
    "[[n:Faith]]'s the only one at the council who ever picks up",
    "[[n:Joy]] was brilliant, she sat with me the whole time in A&E",
    "[[n:will]] is my youngest, hes 9 and hes been off school since october",
    "[[n:Mark]] at the housing office said there's nothing till spring.",
    (
        "Voicemail: hi it's [[n:May]], from the Thursday group, "
        "just ringing to say I can't come this week, sorry"
    ),
    "[[n:June]] my support worker left and nobody even told me",
    "[[n:april]] has been on my sofa for 3 weeks now and I can't say no to her",
    "[[n:Summer]] (my eldest) does all the forms because I struggle with reading",
    "[[n:Sky]] at the college helped me fill the bursary form in",
    "I told [[n:Dawn]] I'd be late and she still marked me as a no show",
    "[[n:bill]] from the church drives me to my appointments now",
    "[[n:Pat]] never judged me, not once in two years",
    "[[n:frank]] my neighbour has the spare key if I'm not in",
    "[[n:Ruby]]'s dad hasn't paid a penny since she was born",
    "Ask for [[n:Holly]] on the front desk, she knows the whole story",
    "[[n:robin]] keeps my tablets for me so I don't take too many at once",
    "[[n:Jack]]'s in year 7 now and the bus pass is £30 a month",
    "[[n:amber]] and me split up in the summer and I lost the flat with it",
    "[[n:Poppy]] (4) and [[n:Daisy]] (2) are with my mum most days while I work",
    "[[n:Hunter]]'s social worker has changed three times this year",
    "[[n:chase]] never got his PIP sorted in the end, he gave up",
    "[[n:Storm]] gets really anxious in the waiting room so we usually leave",
    "[[n:Angel]] at the hostel is the reason I'm still here tbh",
    "my daughter [[n:honey]] is autistic and the school just won't listen",
    "[[n:Lily]] and [[n:Iris]] are sharing one single bed at the moment",
    "[[n:Miles]] didn't turn up to the assessment so they closed it",
    "I spoke to [[n:Rich]] on the phone, he said ring back Monday",
    "[[n:sunny]] my key worker is the only one who explains stuff properly",
    "[[n:Autumn]] started at the nursery last week and it's given me a bit of breathing space",
    "[[n:Kev]] said he'd sort the meter out but he never did",
    "[[n:shaz]] n me queue at the food bank every tuesday",
    "[[n:Priya Shah]] from the GP surgery wrote the letter for me",
    "[[n:Tomasz Nowak]] is my partner, he works nights at the warehouse",
    "[[n:adebayo]] helped me carry everything up 4 flights of stairs",
    "Thank you to [[n:Grace]] and [[n:Will]] for listening today, it meant a lot",
    "Note: spoke with mum ([[n:Joy Adeyemi]]) who is the main carer",
    "ok so [[n:Mark]] and me r going to try the drop in tmrw",
    "can u tell [[n:dawn]] i wont make it, phone died",
    "Hi this is [[n:Hope Mensah]], I filled the form in online but nothing came",
    "ring [[n:jade]] if you can't get hold of me",
    "[[n:Patience]] at the benefits office was anything but patient with me",
    "names=Tiny|[[n:Tiny]] from the hostel lent me a fiver for the electric",
    "can you thank [[n:summer]] for me, she knows why",
    "names=Big Dave|Staff note: [[n:Big Dave]] was asking after you at the drop in",
    # --- dates of birth
    "I was born on the [[d:3rd of March 1989]] so I'm not a kid, I know what I need",
    "DOB [[d:14/07/1992]], lives with partner and two children",
    "d.o.b. [[d:02.11.85]] - staying with nan for now",
    "my birthday's the [[d:3rd of June]] and I spent it in a B&B",
    "born in [[d:June 1991]], so I was 17 when I left care",
    "[[n:Dylan]] b. [[d:7 Feb '84]], says the hostel is the worst he's been in",
    "bday is [[d:21st dec]] if that matters for the form",
    "Date of birth: [[d:twelfth of August nineteen ninety]]",
    "he was born [[d:30th Sept 2009]] so he turns 16 soon and they'll stop the money",
    (
        "hello it's about my claim, "
        "my date of birth is the [[d:nineteenth of the fourth, eighty seven]], please call back"
    ),
    "Her birthday is [[d:May 5th]], she'll be 40 and we can't even do a cake",
    "dob [[d:1/1/2001]], mobile: [[p:+44 7700 900672]]",
    "born [[d:24 December 1979]], a christmas baby, never had a proper birthday",
    "D.O.B [[d:09-03-1970]] / NI: [[ni:WL.77.34.02.C]]",
    "Born: [[d:Oct 1998]]. Came to the group twice.",
    "It was my birthday on the [[d:8th of January]] and no one came",
    "my son was born [[d:2nd april 2015]], premature, and we were in hospital for weeks",
    "DOB: [[d:28th Feb 1993]] NI: [[ni:JG 10 37 59 A]]",
    "Mums birthday is [[d:11 November]] so I'll need that week off to help her",
    "one was born on [[d:31 Jan 2003]] and the other on [[d:6 Aug 2006]]",
    (
        "Date of Birth (dd/mm/yyyy): [[d:15/09/1988]]. "
        "Name of the person helping you: [[n:Faith O'Neill]]"
    ),
    "i was born [[d:first of may nineteen seventy-two]] in the old maternity",
    "my DOB is [[d:23 Mar 84]] but the letter they sent says 1948",
    "Her bday's [[d:19th June]], can you remind me",
    # --- NI numbers
    "my NI number is [[ni:JK 48 29 17 C]]",
    "ni no. [[ni:A B 12 34 56 D]]",
    "national insurance number [[ni:ab123456c]] and email me: [[e:shaz.h@hotmail.co.uk]]",
    "NINO - [[ni:PX-40-21-88-A]]",
    "my national insurance is [[ni:NE 64 21 09]] I think",
    "NI no: [[ni:TN 31 72 56 B]]",
    "ni number [[ni:qr 55 10 92 b]], sorry its on an old card",
    "It's [[ni:hx 93 77 41 d]] for my national insurance",
    "national insurance [[ni:RM/44/81/20/C]]",
    "my NI is [[ni:BG 11 22 33 A]] if you need it for the referral",
    (
        "hi it's me again, "
        "the national insurance number you wanted is [[ni:S T, 47, 21, 89, A]], thanks"
    ),
    "NI no. [[ni:YH 20 41 77]]",
    "National Insurance number: [[ni:OA 18 46 39 B]]",
    "her NI num is [[ni:mb 04 92 71 c]]",
    "NI [[ni:JN 51 23 86 - C]]",
    "NI: [[ni:EH 274815 A]] (checked with her)",
    "national insurance no is [[ni:L Z 8 4 3 1 2 6 A]]",
    "ni [[ni:KA 672 019 B]], work: [[p:0161-496-0210]]",
    # --- phone numbers
    (
        "ring me on [[p:07700 900418]] when you're outside, "
        "postcode [[pc:B23 6QQ]] if the taxi needs it"
    ),
    "my number's [[p:07700-900-231]], text first",
    "that's my husband [[n:Frank]], his work number is [[p:0161 496 0732 ext 204]]",
    "you can reach me on [[p:oh seven seven oh oh, nine oh oh, one two three]], thanks bye",
    "landline [[p:01632 960 555]] but I'm hardly in",
    "[[p:020 7946 0381 x12]] is my work line, only in the mornings",
    "my mum's phone is [[p:(0113) 496 0927]]",
    "new number [[p:07700.900.846]], postcode is [[pc:M14 5TP]]",
    "call back on [[p:0117 496 0055 extension 3]] please",
    "Contact: [[p:+44 (0)7700 900 904]]",
    "its [[p:077009 00 365]] and b.day [[d:4/10]] fyi",
    "my daughters number [[p:07700 900 777]] and mine is [[p:07700 900 778]]",
    # --- addresses and postcodes
    "I'm at [[a:flat 3, 22 Mill Lane, Bradford]] [[pc:BD7 1AB]]",
    "we're [[a:number 14 on Hope Street]], the one with the blue door",
    "post it to [[a:9 Albert Rd, Leeds]] [[pc:LS6 4PQ]]",
    "we live at [[a:117b kings avenue]] now",
    "Address: [[a:Rose Cottage, Church Lane, Little Hatton]]",
    "send it to [[pc:ne6 2xl]] please, they know me there",
    "I'm staying at [[a:no. 8 Victoria Terrace]] with my aunt",
    "[[a:Room 4, 51 Station Road, Wakefield]] is where they've put me",
    "[[a:flat 12 Cedar House, Park Way]], buzzer's broken so ring",
    "moved to [[a:3 The Crescent, Hull]] last month",
    "it's [[a:45 oak tree cl]]",
    "my mums at [[a:2 Dawson St]] [[pc:S11 8YH]]",
    "Address: [[a:61 Grange Drive, Sheffield]], [[pc:S6 3RT]]",
    "[[a:flat 2/1, 88 Garnet St]], top buzzer",
    # --- emails
    "my email is [[e:kevmorris82 at gmail dot com]]",
    "you can use [[e:j.okafor[at]outlook.com]] for the invite",
    "Its [[e:grace_taylor91@yahoo.co.uk]] or text me [[p:07700900119]] not the other one",
    "send the letter to [[e:daisy dot m at btinternet dot com]]",
    # --- tempting, with nothing identifying: names as words
    "I hope someone actually reads this.",
    "They said they'd sort it in May but nothing's happened.",
    "there's a rose bush in the back garden that the landlord won't cut back",
    "will do, thanks for ringing",
    "the lady told me to mark the form with a cross where it applies",
    "it felt like crossing the Jordan river just to get an appointment",
    "I just wanted a pat on the back for once, not another form",
    "On a sunny day I take the kids to the park because it's free",
    "He's a jack of all trades but no one will give him a start",
    "Dawn till dusk in that queue and they still turned us away",
    "Summer holidays are the worst, no free school meals",
    "I'll be frank with you, I've given up on them",
    "a robin comes to the window every morning, it keeps me going",
    "Chase up the referral please, it's been weeks",
    "storm took half the fence down and nobody will fix it",
    "She's been an angel to me, honestly",
    "a jar of honey and some tins from the food bank",
    "We walked miles to the hospital because the buses stopped",
    "Rich people don't have to queue like this",
    "Autumn's when the damp comes back in the bedroom",
    "April and June were when they cut my hours",
    "Will anyone ever ring me back?",
    "May I ask why the form needs all this?",
    "Mark my words, they'll close the centre next",
    "Hope is all I've got left at this point",
    "Rose early, walked to the food bank, queue already round the corner",
    "Bill came in at £340 and I cried",
    "Ruby wedding for my parents and I couldn't afford the train",
    # --- tempting: dates that are not of birth
    "court date is the 14th of March 2025",
    "born and bred in Barnsley, never left",
    "he gets out on the 2nd of April and has nowhere to go",
    "our anniversary was 12/06 and he forgot it again",
    "The assessment is on 19/11/2024 at 10:30",
    "baby's due 4th August and we're still in one room",
    "I was born in 1987 and I've never seen it this bad",
    # --- tempting: codes that are not NI numbers
    "order number AB123456 never arrived",
    "car reg YK19 HGT got clamped outside the surgery",
    "I get the 47A bus, when it turns up",
    "claim reference HB/2291/77 on the letter",
    # --- tempting: numbers that are not phones
    "rent is £475.50 a month and the arrears are £1,203.77",
    "The council's repairs line is 0113 496 0000, which just rings out",
    "bus goes at 07:45 and 08:15 and both were full",
    "rang 111 at 3am and waited 4 hours",
    # --- tempting: places that are not addresses
    "I grew up on Hope Street near the market",
    "I was on Ward 5 for six weeks",
    "we're 34 and 36 with three kids under 10",
    "the flat on Station Road had mould everywhere",
    "room 12 at the hotel the council put us in has no kettle",
    "the number 14 bus never turns up on a Sunday",
    "I don't have an email, my son does all that online stuff",
]


def build() -> str:
    # All of them held out: nothing here was seen while the rules were written.
    return rows_to_jsonl(ENTRIES, part="fresh2", distinct=True)


def main() -> int:
    return write_or_check(OUT, build(), len(ENTRIES), "build_redaction_fresh2.py")


if __name__ == "__main__":
    sys.exit(main())
