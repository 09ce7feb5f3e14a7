"""Build alongside/listening/data/redaction_hard.jsonl, the second labelled set for the
redaction engine: the hard cases of issue 16 (docs/listening-redaction.md).

- names that are also words ("Grace", "Jordan", "Hope", "Rose", "Will", "Mark", "May") used
  as names, and the same words used as words;
- National Insurance numbers in any spacing, including prefixes HMRC never issues;
- dates of birth in words or after "born", and dates that are not dates of birth;
- phone numbers with extensions or read out in words, and "ext" or spoken numbers that are
  not phones;
- addresses without a postcode, and streets named without a number.

Every sentence was written by us and every detail is made up. Phone numbers come only from
Ofcom's ranges kept for drama (07700 900xxx, 01632 960xxx, 020 7946 0xxx, 0113 496 0xxx,
0161 496 0xxx and the like); NI numbers are invented. The marking is the one
scripts/build_redaction_eval.py uses ([[n:Grace]], [[p:07700 900461 ext 20]], ...), and every
third entry is held out in the same way. The held-out entries were written together with the
rest, before the engine was run on any of them, and were scored once, after the rules were
final.

How each hard kind is labelled:
- a phone's extension is part of the phone ("[[p:01632 960 118 ext. 204]]"): the whole
  number is what rings the person;
- a date of birth in words is labelled from its day ("the [[d:fifth of March nineteen
  ninety]]"); a month and year of birth ("born in [[d:March 1987]]") is one, a year alone
  ("born in 1987") is not: it says no more than an age, which the report keeps;
- a National Insurance number with a prefix HMRC never issues is still one.

    python scripts/build_redaction_hard.py          # rewrite the file
    python scripts/build_redaction_hard.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_redaction_eval import rows_to_jsonl  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "alongside/listening/data/redaction_hard.jsonl"

ENTRIES = [
    # --- names that are words, used as names ----------------------------------------------
    "[[n:Grace]] said she'd come with me to the assessment and she did.",
    "I told [[n:Grace]] everything and she didn't judge me once.",
    "I hope they listen this time, because last time nobody did.",
    "Me and [[n:Jordan]] were on the same landing for two years.",
    "[[n:Jordan]] rang the council for me when I couldn't face it.",
    "We went on a church trip to see the River Jordan, best week of my life.",
    "thanks [[n:Hope]], you were the only one who picked up the phone",
    "[[n:Hope]] from the council came round with the forms in the end.",
    "By the grace of God I'm still here and still in my flat.",
    "[[n:Rose]] and [[n:Kelly]] from next door did a whip round for us.",
    "My friend [[n:Rose]] put me up on her sofa for a month.",
    "The rent rose by eighty quid and nobody could tell me why.",
    "[[n:Will]] helped me fill in the PIP form, took us three afternoons.",
    "My brother [[n:Will]] is the only family I've got left.",
    "I will never go back to that hostel, not for anything.",
    "Ask [[n:Mark]], he was there when the bailiffs came.",
    "[[n:Mark]] said the money would be in by Friday and it was.",
    "They put a mark on my file and every worker after that treated me like a risk.",
    "I met [[n:May]] at the food bank and she's been like a mum to me.",
    "We moved in May and the boiler broke in June.",
    "May I just say the coaching saved my life.",
    "[[n:Faith]] sorted my gas meter out, she was brilliant.",
    "I lost all faith in the system after that letter.",
    "[[n:Joy]] told me about the community fridge on the estate.",
    "There was no joy from the housing office, again.",
    "[[n:Grace]], [[n:Hope]] and [[n:Jordan]] all came to my tenancy signing.",
    "I said thanks to [[n:Bill]] and he just shrugged, that's him.",
    "The gas bill came to more than my rent that month.",
    "[[n:Pat]] drove me to the hospital at three in the morning.",
    "She gave me a pat on the back and sent me away with a leaflet.",
    "To be frank the advice line was no help at all.",
    "My keyworker, [[n:Frank]], rang round every hostel in the city for me.",
    "[[n:Dawn]] rang me at dawn to say the room was mine.",
    "We waited till dawn for the night shelter to let us in.",
    "Tell [[n:Amber]] I got the keys, she'll be made up.",
    "The lights on the meter went amber and then it cut off.",
    "[[n:Summer]] was my coach for a year and she never gave up on me.",
    "Summer is the worst, the room is like an oven.",
    "My daughter [[n:Holly]] started nursery this week, first time in a proper school.",
    "They put holly on the door of the hostel at Christmas, a nice touch.",
    "I went with [[n:Ruby]] to the drop in and we both got seen.",
    "[[n:Jade]] was the one who found me the bed that night.",
    "The jade necklace was my nan's and I had to pawn it.",
    "me and [[n:grace]] went to the council together, took all day",
    "[[n:jordan]] said he'd meet me outside the job centre",
    "i hope its better for the next person honestly",
    "[[n:hope]] rang back and sorted it in five minutes",
    "[[n:rose]] n me used to sit in the park every day",
    "we will see what happens at the tribunal",
    "[[n:mark]] from the hostel lent me a tenner",
    "I saw [[n:Grace]] last week and she's doing well now.",
    "Grace and favour flats, that's what they called them on the estate.",
    "We said grace before every meal at the shelter.",
    "He fled from Jordan with nothing but his papers.",
    "[[n:Jordan]]'s mum let me stay when I had nowhere.",
    "The [[n:Jordan]] family on the corner kept an eye on my kids.",
    "I'd like to thank [[n:Will]] and [[n:Mark]] from the outreach van.",
    "Will anybody from the council read this? I doubt it.",
    "The will was never found so the house went to the state.",
    "Hope is all I've got left some days.",
    "Hope you're well, just writing to say thanks for the session.",
    "Our worker [[n:Hope]] came to court with us and sat in the front row.",
    "The Rose and Crown does a free Christmas dinner for anyone on their own.",
    "She gave me a rose for my first night in the new flat.",
    "I called [[n:Rose]] straight away, she was the first person I told.",
    "My sister [[n:Dawn]] and her husband [[n:Grant]] took the kids for the summer.",
    "The council gave us a grant for the carpets, which was something.",
    "Hi [[n:Grace]], thanks for yesterday, I'm feeling a bit better.",
    "Cheers [[n:Jordan]]! See you Tuesday.",
    "Morning [[n:May]], just to say the boiler man came.",
    "May be a while before I trust anyone again.",
    "There's a mark on the ceiling from the leak, and it's growing.",
    "My support worker is [[n:Joy]] and she's the reason I'm still here.",
    "Without [[n:Faith]] I'd have signed whatever they put in front of me.",
    "I kept the faith, that's all you can do.",
    "I asked [[n:Jordan]] if he'd come to the meeting and he said yes.",
    "[[n:Grace]] was at every review, [[n:Will]] never missed a week.",
    "[[n:Will]] was the only one who knew my story, now he's left.",
    "[[n:Mark]] came round on Friday and fixed the lock himself.",
    "[[n:Rose]] was just sixteen when she had to leave home.",
    "The grace period was fourteen days and I missed it by one.",
    "The frank truth is I'd have died on that bench.",
    "Summer holidays are hard when there's no free school meals.",
    "April was when it all went wrong, the sanction came through.",
    "I'm [[n:April]] and I've been in temporary accommodation for three years.",
    "[[n:Chelsea]] from the youth hub came with me to open the bank account.",
    "We went to watch Chelsea at the Bridge, a charity got us tickets.",
    "I got a Christmas card from [[n:Florence]] at the women's group.",
    "They sent us to a B&B in Florence Park, miles from the kids' school.",
    "[[n:Sky]] texted me every day during lockdown, just to check.",
    "We had no Sky, no wifi, nothing, for eighteen months.",
    # --- National Insurance numbers -------------------------------------------------------
    "my NI is [[ni:AB123456C]] if the form needs it",
    "National Insurance number: [[ni:AB 12 34 56 C]]",
    "ni number [[ni:ab-12-34-56-c]] thats what the letter says",
    "NI number [[ni:BG 12 34 56 A]], it's on my payslip.",
    "They'd written my NI as [[ni:GB 40 18 92 C]] which can't be right but it's what they use.",
    "NINO: [[ni:NK 77 31 08 D]]",
    "my national insurance [[ni:KN 55 10 22 B]] if u need it",
    "NI no [[ni:TN 34 87 61 A]]",
    "The temporary number they gave me was [[ni:NT 61 40 29 C]], it took months to sort.",
    "National insurance: [[ni:ZZ 00 11 22 B]]",
    "my NI is [[ni:DF 48 27 13 A]] i think, the letter is at my mums",
    "NI: [[ni:QQ 12 34 56 C]]",
    "N.I. number [[ni:UV 90 12 34 D]] on the back of the card",
    "Applicant NI [[ni:IA 23 45 67 B]]",
    "His NI number is [[ni:FY 80 41 55 C]] and mine is [[ni:FY 80 41 56 A]].",
    "ni [[ni:jj 1 2 3 4 5 6 b]]",
    "My National Insurance number is [[ni:JK.48.36.27.B]].",
    "NI [[ni:SN  225174  B]]",
    "my nat ins number is [[ni:PW 83 21 07 C]]",
    "national insurance no [[ni:OB 62 18 93]] - I can't read the last letter",
    "NI number [[ni:HT 44 29 10]] (the letter at the end rubbed off)",
    "NI [[ni:ce 405 872 d]]",
    "My N.I. is [[ni:LM 12 34 56 A]] and my DOB is [[d:12/06/1984]].",
    "NINo [[ni:VX 21 33 09 B]]",
    "They asked for my insurance number, [[ni:RE 73 52 14 A]], three times.",
    "Reg number AB12 CDE, it was towed from outside the hostel.",
    "The parcel tracking code is QX 1234 5678 GB.",
    "I'm on bus X5 then the 280, takes over an hour.",
    "My claim reference is UC 4471 9022 and they still lost it.",
    "Form SA100 and a P45, I had no idea what any of it meant.",
    "The order number was AB123456, I still never got the fridge.",
    "Flight BA 2490 to Lagos, my mum paid for it.",
    "Room GB12 on the second floor, that's where they put us.",
    "I've got a CSCS card and a level 2 in food hygiene now.",
    "NI numbers go missing all the time, mine took two years to sort.",
    "My employer had my NI wrong for a year and I lost the stamps.",
    "ID number on the prison discharge form: A1234BC.",
    # --- dates of birth -------------------------------------------------------------------
    "My date of birth is the [[d:fifth of March nineteen ninety]].",
    "I was born on [[d:3/4/88]] in the old maternity wing.",
    "I was born in 1987 and I've never seen it this bad.",
    "Born on the [[d:twenty-first of June, two thousand and one]], so I'm still young really.",
    "DOB [[d:5th March 1990]]",
    "my birthday is [[d:March the 5th]], same as my nan's",
    "I was born [[d:March 5th 1990]] in Lewisham.",
    "date of birth is [[d:twelfth of October eighty-two]]",
    "I was born in [[d:March 1987]], just before the storm.",
    "He was born in [[d:November 2019]] and has never lived anywhere settled.",
    "my dob is [[d:3.4.88]]",
    "DoB: [[d:1988-04-03]]",
    "born [[d:03 04 1988]], it's on the form",
    "I was born on [[d:Christmas Day 1985]], my mum never let me forget it.",
    "D.O.B. the [[d:3rd of the 4th, 88]]",
    "Date of birth: [[d:thirtieth of January nineteen seventy-four]]",
    "birth date [[d:14 Feb 01]]",
    "My son was born on the [[d:second of July two thousand and twelve]].",
    "Born and bred in Salford, me, never left.",
    "I was born in Jamaica and came here when I was nine.",
    "We were all born in the eighties, the lads on the wing.",
    "She was born two weeks early in the back of a taxi.",
    "I'm a born again Christian and the church is my family.",
    "My first born is twelve now and doing so well.",
    "My appointment is on 14/03/2024 at the job centre.",
    "The eviction date was the fifth of March, two days before my birthday.",
    "The letter was dated 3 April 1988, it was that old.",
    "Court is on the twenty-first of June at ten.",
    "It's my birthday on Friday and I've got nothing planned.",
    "I was born in Leeds but moved down on 3 March 1995 with my mum.",
    "My baby is due on 14 May and we still have no cot.",
    "I bought her a birthday card on 2 March and never sent it.",
    "I've been sober since the fifth of March nineteen ninety-nine.",
    "Born 1979, if that matters for the age bit.",
    "My birthday was on the 12th and nobody even texted.",
    "DOB [[d:23rd Dec 1967]] and I've been homeless since I was 50.",
    "b'day [[d:1st April]], no joke",
    "my birthday's on the [[d:9th of the 11th]]",
    "I was born on the [[d:seventh of August]] and my son was too.",
    "She was born on [[d:4 September 2015]], the day the roof fell in.",
    "Birth date - [[d:Sept 14 1982]]",
    "my dob [[d:eleventh of November nineteen ninety-one]]",
    "The last time I saw a GP was 3 March 1990, I'm not joking.",
    "He was born in 2001, same year we got our first flat.",
    "The fifth of March nineteen ninety, that's when the factory shut.",
    "I was born to a mum who couldn't cope, and that's where it started.",
    # --- phone numbers with extensions, and read out ------------------------------------
    "Ring [[p:01632 960 118 ext. 204]] and ask for the housing team.",
    "You can get me on [[p:0113 496 0555 x204]] during the day.",
    "Call [[p:020 7946 0321, extension 12]] and say it's about the flat.",
    "The direct line is [[p:0161 496 0732 ext 3]] if you need me.",
    "my number is [[p:oh seven seven double oh nine double oh four six one]]",
    "ring me on [[p:zero seven seven zero zero, nine zero zero, one two three]]",
    "its [[p:oh seven seven oh oh nine oh oh three four five]] ring after six",
    "My mobile is [[p:seven seven double oh nine hundred two eight four]] with an oh in front.",
    "Call [[p:oh one six three two, nine six oh, double four five]] and leave a message.",
    "my new number is [[p:0 7 7 0 0 9 0 0 6 1 2]]",
    "number's [[p:O7700 9OO 431]] sorry my keyboard is broken",
    "Tel: [[p:01632 960 887 (ext. 45)]]",
    "Work: [[p:0117 496 0123 Ext 2209]]",
    "You can text [[p:077009 00592]], that's my sister's phone.",
    "[[p:07700/900/274]] is the best number for me",
    "the office is [[p:0121 496 0417 extn 31]]",
    "my number is [[p:oh seven seven double oh, nine double oh, double five two]]",
    "sorry wrong number before, I mean ring [[p:07700 900 775]]",
    "They need an extension on my claim, two more weeks at least.",
    "The extension on the back of the house is where the damp gets in.",
    "Take them x2 a day with food, the pharmacist said.",
    "I go three times a week, 3x a week to the gym at the centre now.",
    "It was the ext. wall that let the water in, according to the surveyor.",
    "I got one of nine places on the course, out of two hundred.",
    "We worked seven days a week, double shifts, nine to five and then some.",
    "Zero hours contract, zero tolerance, zero help.",
    "Oh no, oh no, I thought, not again.",
    "I owe nine hundred and forty quid on the gas.",
    "The 07:45 bus is the only one that gets me there on time.",
    "It cost £07.50 for a sandwich and a tea at the station.",
    "Call 999 if you're in danger and 111 if it can wait.",
    "He gave me the number for the next of kin form, extension and all, but I lost it.",
    "Extension 12 is reception but nobody ever picks up.",
    "Phone [[p:0131 496 0011]] and ask for extension 230 which is the benefits team.",
    "ring [[p:07700 900 640]] x",
    "call [[p:07700 900 998]] x2 if I don't answer the first time",
    # --- addresses without a postcode ----------------------------------------------------
    "im at [[a:flat 3, 12 mill lane]] now, its damp but its mine",
    "The new place is [[a:12a Mill Lane]], ground floor.",
    "we moved to [[a:41 barton road]] last week",
    "We're at [[a:number 14 on Station Road]], the one with the blue door.",
    "Drop it to [[a:Flat 2 Cedar House]] please.",
    "I rent [[a:the 3rd floor flat at 27 High Street]], above the bookies.",
    "send it to [[a:19b Kingsway]]",
    "Our address was [[a:Apartment 5, The Maltings, 4 Wharf Road]].",
    "I stayed at [[a:Room 12, 4 Park Crescent]] for six months.",
    "They've moved us to [[a:Rose Cottage, Mill Lane]], Littlemore.",
    "[[a:32 Acacia Ave]] is where my mum lives.",
    "We were at [[a:4 Orchard Cl.]] till the landlord sold it.",
    "I live at [[a:23 Tennyson Lodge]] now.",
    "my address is [[a:house number 23, Elm Road]]",
    "I'm at [[a:14 westfield rd]] if you want to drop round",
    "post it to [[a:flat 6 kestrel house]] please",
    "the room is at [[a:7 St Mary's Road]], top floor",
    "I'm in [[a:the flat above 52 High Street]], the buzzer doesn't work.",
    "We were in [[a:Flat 11, Block C, Windrush Court]] for four years.",
    "Send the letter to [[a:2 The Green]], Kidlington.",
    "My nan's house is [[a:9 Victoria Terrace]], the one with the gnomes.",
    "The refuge found me a room at [[a:15 Beech Grove]].",
    "We live at [[a:61a Cowley Road]], above the launderette.",
    "[[a:Flat 4, 88 Iffley Rd]], that's the one.",
    "it was [[a:3 primrose way]] before we got moved on",
    "I've been at [[a:number 7, Pound Lane]] since 2018.",
    "Ship it to [[a:Unit 3, 14 Dock Street]] and I'll collect it.",
    "I live on [[a:27 Church Walk]] with my two kids.",
    "We lived down Mill Lane for ten years before the sale.",
    "The high street has lost every shop but the bookies.",
    "Station Road is where the night shelter used to be.",
    "My two bedroom flat on Mill Lane costs £950 a month.",
    "I spent 12 months on Station Road in a bedsit.",
    "The 25 bus on Iffley Road is always late.",
    "There were 3 of us in one room on Park Crescent.",
    "I was in flat 4 for a bit, then they moved me upstairs.",
    "Room 12 is the one with the broken window.",
    "We queued for 2 hours on Church Walk for the food bank.",
    "They moved me to a 1 bed flat near the Green, which is fine.",
    "Page 14 of the letter said they'd close the hostel on Beech Grove.",
    "Cedar House is the worst hostel in the city, everyone says so.",
    "I've walked past High Street a hundred times and never noticed it.",
    "Number 14 bus runs every half hour, if you're lucky.",
    # --- mixed and longer --------------------------------------------------------------
    "Hi [[n:Hope]], it's [[n:Rose]], my new number is [[p:07700 900 417]] and I'm at "
    "[[a:flat 2, 9 canal street]] now x",
    "I'm [[n:Jordan]], born [[d:14/02/1996]], NI [[ni:TN 55 23 81 B]], and I've been on the "
    "streets since I was seventeen.",
    "My nan [[n:Grace]] was born on the [[d:fifth of May nineteen forty]] and she still goes "
    "to the lunch club.",
    "The grace of the staff on ward 6, I'll never forget it.",
    "Dear [[n:Will]],\nThank you for the forms. My NI is [[ni:ZZ 12 34 56 D]] and my date of "
    "birth is [[d:2 May 1980]].\nKind regards,\n[[n:Faith Adeyemi]]",
    "We hope to move in May, the council said, but no one will promise.",
    "My worker [[n:Mark]] rang [[p:01632 960 412 ext 9]] and got through in the end.",
    "[[n:May]] and [[n:Rose]] live at [[a:14 Elm Road]], they'll vouch for me.",
    "If you need me ring [[p:oh seven seven double oh, nine double oh, one one eight]] or "
    "email [[e:rosie.j@example.org]].",
    "I've got a mark on my arm from the bed bugs, the hostel won't do anything.",
    "The River Jordan, the Rose and Crown, the Grace Dieu, that's my whole CV.",
    "I moved to [[a:7 Grace Road]] in the spring and it's been quiet.",
    "I live on Grace Road, near the park.",
    "Ask for [[n:Jordan Hope]] at the front desk, he's the manager.",
    "[[n:Will Rose]] is my solicitor and he's been great.",
    "Sorry [[n:Mark]], I can't make Tuesday, my daughter's poorly.",
    "Nobody told me about the grace period, so I lost the flat.",
    "Summer, winter, it's the same in the doorway.",
    "[[n:Faith]] and I did the course together, she's a carer now.",
    "My daughter's name is [[n:Summer]], she's six.",
    "[[n:Rob]] will sort it, he always does.",
    "They rob you with the prepayment meter.",
    "By the time [[n:Grace]] got there the van had gone.",
    "Grace Dieu Manor was where they sent us for respite.",
    "My mate [[n:jordan]] and his girlfriend [[n:hope]] are in the flat below.",
    "She was born [[d:3rd of March 1992]] and I was born the year after.",
    "I'll be 40 on the [[d:5th of June]], my birthday that is.",
    "Call us on [[p:0114 496 0333 ext. 12]], and ask for [[n:Grace]] or [[n:Pat]].",
    "NI number [[ni:GB123456A]], DOB [[d:1 Jan 1970]], address [[a:4 Mill Lane]], [[pc:OX4 1AB]]",
]


def main() -> int:
    content = rows_to_jsonl(ENTRIES)
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != content:
            print(f"{OUT} is out of date: run scripts/build_redaction_hard.py")
            return 1
        return 0
    OUT.write_text(content, encoding="utf-8")
    print(f"wrote {len(ENTRIES)} sentences to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
