"""Build alongside/listening/data/redaction_fresh.jsonl, a second held-out set for the redaction
engine, written blind: its author did not read the engine, its rules or its other test sets, and
the engine was never run on these sentences while they were written. It is meant to be scored
once, at the end, and never tuned on.

Every sentence below was written by us: none is a real contribution and every detail is made
up. Phone numbers come from Ofcom's ranges kept for drama (07700 900xxx, 01632 960xxx,
020 7946 0xxx, 0113 496 0xxx, 0161 496 0xxx, 0117 496 0xxx), so none rings a real person.

Each entry marks its identifying details inline as [[code:text]]:
    n name, p phone, e email, a address, pc postcode, d date_of_birth, ni ni_number
An entry may start with "names=Shorty|" to say which names the team added to its own list.

Labelling conventions (decided before anything was scored):
- a word that is also a name (Grace, Will, May, Rose...) is a name only when it names a person;
  a street named after one (Hope Street) is part of the address, not a name;
- a phone span covers the whole number as written, spoken digits included, and any extension
  ("ext 204", "x204", "extension 12"); organisations' helplines are not labelled, even when
  their number is in a drama range;
- an NI span covers the number however it is spaced or separated, with or without the final
  letter, and also when its prefix is one the tax office never issues (the person still gave
  it as their number); order numbers, car registrations, bus routes and rooms are not NI;
- a date of birth is any date given as the day someone was born or their birthday (day and
  month, or month and year); a year alone ("born in 1987") is not, nor are appointments,
  court dates or release dates; a leading "the" stays outside the span;
- an address span runs from the flat, room or house number ("flat 3", "number 14", "no. 8")
  to the end of the street name, or of the town when one follows; the postcode is its own
  span; a street without a number, a ward, a hotel room or an age is not an address.

    python scripts/build_redaction_fresh.py          # rewrite the file
    python scripts/build_redaction_fresh.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_redaction_eval import rows_to_jsonl, write_or_check  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "alongside/listening/data/redaction_fresh.jsonl"

ENTRIES = [
    # --- names that are also ordinary words, and the same words used as words ---------------
    "[[n:Grace]] came with me to the housing office, I wouldnt have gone on my own",
    "tell [[n:grace]] i got the flat!!! shes been on at me about bidding for months",
    "we said grace before the dinner at the church hall, first hot meal in 3 days",
    "the grace period on the arrears ends friday and ive got nothing left",
    "Spoke to [[n:Jordan]] after group. He's back using and won't open the door to anyone.",
    "me and [[n:jordan]] are sofa surfing at his cousins till the end of the month",
    "they did baptisms in a paddling pool at the church, vicar said it was our river Jordan lol",
    "[[n:Hope]] rang, she says the tribunal letter has come and its good news",
    "i hope to god they dont move us again before christmas",
    "Hope you're all ok, can't make group tonight, kids are poorly",
    "can you pass this on to [[n:faith]], she left her scarf at the drop in",
    "I've lost faith in the whole system tbh, three assessments and nobody listens",
    "[[n:Joy]] and her little boy are still in one room in the B&B, 11 weeks now",
    "no joy with the council again, they keep passing me round",
    "[[n:Will]] said he'd drive me to the appointment but his car failed its MOT",
    "[[n:will]] says hi and sorry he missed you, his phone got cut off",
    "Will they actually fix the boiler this time or will I be ringing again in May?",
    "[[n:mark]] is sleeping in his van again since the relationship broke down",
    "mark my words they'll shut the drop in before the summer",
    "Voicemail: hiya it's [[n:May]], I'm ringing about Thursday, can someone call me back, ta",
    "me and [[n:june]] both got letters the same day saying our PIP was stopped",
    "he jacked in his job in june cos of his back and it all went downhill from there",
    "My eldest, [[n:Summer]], has stopped going to school since we moved to the hotel",
    "[[n:sky]] is 16 and her mum's kicked her out, can she come to the youth night",
    "couldnt sleep so sat in the park till dawn watching the sky go pink, felt a bit better",
    "[[n:Bill]] on the third floor hasn't had heating since October, he's 79",
    "Got the gas bill today, £240 for one month, I can't pay that",
    "Note from drop in: [[n:Pat]] came in again, wants help with the water arrears letter",
    "She gave me a pat on the back and said to be frank I was lucky to get a bed",
    "[[n:frank]] passed away last week, we're doing a collection for flowers if anyone can",
    "[[n:Ruby]]'s ex won't let her see the kids since the hearing",
    "my nan's ruby wedding ring is the only thing I never pawned",
    "ask [[n:holly]] she did her assessment at the same place and got the full award",
    "first christmas without mum, put some holly on her grave and had a cry",
    "[[n:Robin]] used to run the breakfast club before the funding went",
    "theres a robin comes to the bench every morning, sounds daft but it keeps me going",
    "[[n:Jack]] and [[n:Amber]] are in the same hostel now so at least they've got each other",
    "hi its [[n:amber]] from the bench by the library lol can u ring me back",
    "they put an amber weather warning out so the shelter opened the extra beds",
    "Worried about [[n:Rose]], she's not been to group in three weeks and her phone's off",
    "Rose bushes outside the hostel are the only nice thing about the place",
    "the bailiff who came was called [[n:Mark Holly]], he was decent about it to be fair",
    "names=Shorty|me and [[n:shorty]] got moved on by the wardens again last night",
    "[[n:jack]] got his keys today!!! 2 years on the list",
    # --- National Insurance numbers, and codes that only look like them ----------------------
    "my NI number is [[ni:AB123456C]] if you need it for the form",
    "ni no. [[ni:jt 45 82 19 a]]",
    "National Insurance: [[ni:KL-63-20-48-D]]",
    "they asked for my national insurance, its [[ni:PR 491827 B]]",
    "my NI is [[ni:SN 67 12 09]] then a letter on the end i cant read on the card",
    "NI [[ni:BG103947A]] and dob [[d:04/05/1983]]",
    "my ni numbers [[ni:GB 55 19 02 C]] i think",
    "Form filled in at drop in. Name: [[n:Tyrone Bell]]. NI: [[ni:NK 71 02 33 B]].",
    "nat ins [[ni:KN-40-28-11-A]]",
    "the tax office gave me a temporary one, [[ni:TN839201D]], does that still work for UC?",
    "my national insurance number is [[ni:NT 112233 A]]",
    "ni number [[ni:ZZ 99 88 77 D]] but i think the jobcentre typed it wrong",
    "National insurance no: [[ni:DA 38 49 20 B]]",
    "[[ni:FP294810C]] is my NI, my name is [[n:Kerry-Ann Doyle]]",
    "NI [[ni:AQ 77 30 12 A]] (off my old payslip)",
    "voicemail: erm my national insurance is [[ni:J K 48 29 17 C]], I can spell it again",
    "ni [[ni:ab.12.34.56.c]]",
    "my national insurance number is [[ni:QE401928C]] according to the letter",
    "they want my ni [[ni:UY 302918]] and my birth certificate, which i havent got",
    "[[ni:RO224109D]] is the NI on my old P45",
    "order number AB123456 never turned up and the food bank voucher ran out",
    "some bloke in a silver corsa, reg KM19 XRT, keeps parking outside the hostel",
    "get the X5 to town then the 14 to the High Street, takes an hour",
    "the meeting is in room B204 at the civic centre, second floor",
    "tracking number JD0001234567890 says delivered but it never came",
    "crime number 47/12345/26 but the police never rang back",
    "booking ref ZX49A2 for the coach home to see mum",
    # --- dates of birth, and dates that are not --------------------------------------------
    "I was born on the [[d:fifth of March nineteen ninety]], they spelt my name wrong too",
    "DOB [[d:12.04.88]]",
    "dob: [[d:3-11-1979]] postcode [[pc:B12 9QT]]",
    "my birthday's [[d:14th June]] and ill be in the hostel for it again",
    "born in [[d:June 1991]], so I'm not even 35 and I feel about 60",
    "voicemail: my date of birth is the [[d:twenty third of October two thousand and one]], "
    "thank you",
    "my sons birthday is on the [[d:3rd of May]], he'll be 7 and I want him home for it",
    "her birthday is [[d:1 Jan]] so easy to remember lol",
    "born [[d:09/08/1962]] in Glasgow, been down here since the 80s",
    "D.O.B [[d:22/7/95]]",
    "born [[d:May '84]], same year as the miners strike my dad always says",
    "born on [[d:Christmas Day 1990]], mum always said I was her present",
    "Date of birth: [[d:1990-02-14]]",
    "date of birth [[d:2nd of the 12th 86]]",
    "Mum's birthday is [[d:June 21st]], can we do something for her at group",
    "voicemail: born on the [[d:seventeenth of the ninth, nineteen ninety one]], "
    "I'm ringing about my form",
    "born in [[d:march 2003]] so im 23 and already been homeless twice",
    "Name: [[n:Summer Jones]]  DOB: [[d:11/11/2004]]  Phone: [[p:07700 900 145]]",
    "his birthday's the [[d:4th of July]] and he's spending it on remand",
    "bday [[d:8/3]] if anyone wants to send a card to the hostel lol",
    "born in 1987, moved here when I was 5",
    "born and bred in Bradford and now they're telling me I've no local connection",
    "court date is 14/03/2027 and I've still not got a solicitor",
    "appointment on the 5th of March at 10, can someone come with me",
    "he's released on 12.06.26 and I'm terrified",
    "the baby's due in June and we're still in one room",
    "it's my birthday next week and I'll be 40 in a hostel",
    "moved in on 01/09/2025 and the damp started straight away",
    "the birth certificate is still at my ex's and she won't give it back",
    # --- phone numbers, and numbers that are not a person's --------------------------------
    "you can get me at work on [[p:0161 496 0732 ext 204]] but not after 4",
    "ring [[p:020 7946 0118 x204]] and ask for [[n:Jude]]",
    "my sisters work number is [[p:0113 496 0555 extension 12]], she'll take a message",
    "my desk at the warehouse is [[p:0117 496 0841 ext. 3]], lunch is best",
    "voicemail: call me back on [[p:oh seven seven double oh, nine hundred, four five two]], "
    "that's my new one",
    "my number is [[p:zero seven seven zero zero nine zero zero three three eight]]",
    "[[p:07700/900/519]] is my new number",
    "txt me on [[p:07700.900.613]]",
    "mum's landline [[p:(01632) 960 447]] if my mobile's dead",
    "call [[p:+44 (0)7700 900 928]] im on a foreign sim",
    "my whatsapp is [[p:+447700900035]]",
    "from abroad it's [[p:0044 161 496 0219]]",
    "landline [[p:01632 960 080]] ask for [[n:Dawn]] or [[n:Robin]]",
    "[[p:020-7946-0562]] is my work line, please don't leave a message",
    "call me on [[p:0113 4960 991]] after the school run",
    "text me on [[p:07700 9 00 7 14]] sorry my spacebar is broken lol",
    "voicemail: yeah it's [[n:Mark]], my number's [[p:0 7 7 0 0 9 0 0 5 5 1]], speak soon",
    "I'm staying at my aunty's, her number is [[p:+44 20 7946 0455]]",
    "voicemail transcript: hi it's [[n:June]] again, "
    "it's [[p:oh one one three, four nine six, oh three two oh]], bye",
    "ring [[p:oh one six three two, nine six oh, one double seven]] after six",
    "ring 111 if it gets worse or 999 if she stops breathing, that's what the nurse said",
    "the crisis line on 0300 555 0142 kept me talking till the morning",
    "the freephone 0808 800 4444 was engaged for an hour",
    "rang 116 123 at 3am and they were lovely",
    "the housing options line is 0113 496 0000, press 2 then 4, then wait forever",
    "I owe £1,250.00 in rent arrears and £86.40 on the water",
    "got to be there at 09:30 and it's 07:45 now, two buses",
    "UC went from 1,204.56 to 890.12 after the sanction",
    # --- addresses, with and without a postcode, and places that are not addresses ---------
    "the new place is [[a:flat 3, 12 mill lane]], come round for a brew",
    "post it to [[a:12a Mill Lane]] thats my sisters",
    "I'm at [[a:number 14 on Station Road]] now, the one with the blue door",
    "we're in [[a:Flat 2 Cedar House]] till the council decides",
    "address is [[a:27 Victoria Rd]] [[pc:NG7 2QP]]",
    "she lives at [[a:5 church st]] with her nan",
    "send the food parcel to [[a:88 Albert Ave]], I can't get out at the moment",
    "the house at [[a:3 Larch Cl.]] has mould everywhere, the baby's chest is bad",
    "[[a:41 Meadow Cres]] is the HMO, 9 of us share one kitchen",
    "new address: [[a:flat 7, 19 Hope Street, Liverpool]] [[pc:L8 4RT]]",
    "I'm renting a room at [[a:102 Jordan Road, Sheffield]], [[pc:S7 2AB]]",
    "moved to [[a:9 grace avenue]] last week, no furniture yet",
    "[[a:Flat 12, Summer Court, 4 Dawn Way]] is where they've put us",
    "[[a:14 Robin Close, Leeds]] [[pc:LS12 3XY]] for the letters please",
    "I'm in the basement of [[a:31 Cowley Road]], no windows",
    "they've given me [[a:Room 4, 60 Newland St]], shared bathroom",
    "[[a:23b park terrace]] is my mums if you need to send anything",
    "Address: [[a:11 Brook St, Oxford]] Postcode: [[pc:OX4 1AA]]",
    "she's at [[a:no. 8 Willow Gardens]] with the kids, he doesn't know",
    "[[a:16 st marys rd]] is where it happened, I'm never going back there",
    "the landlord at [[a:Unit 3, 7 Canal Wharf]] wants me out by friday",
    "my email is [[e:holly.b1992@example.com]] and my address is [[a:6 Frank Street]] "
    "[[pc:M8 0QT]]",
    "i walk down Cowley Road every morning to the soup run",
    "she's on Ward 5 at the General, they won't tell me anything",
    "they've put us in room 12 of a B&B by the ring road",
    "I was 14 on Station Road when my stepdad started drinking",
    "lived on Mill Lane for 20 years and now they say I've no connection",
    "the office is on the 3rd floor, go in by the Church Street entrance",
    "it's 2 miles down the A40 and there's no bus on a sunday",
    "the lot at Number 10 should try living on £90 a week",
    # --- email -----------------------------------------------------------------------------
    "email me at [[e:mark.summers77@gmail.com]] not the post, my post gets opened",
    "my email's [[e:rubyred_1999@hotmail.com]]",
]


def build() -> str:
    # All of them held out: nothing here was seen while the rules were written.
    return rows_to_jsonl(ENTRIES, part="fresh", distinct=True)


def main() -> int:
    return write_or_check(OUT, build(), len(ENTRIES), "build_redaction_fresh.py")


if __name__ == "__main__":
    sys.exit(main())
