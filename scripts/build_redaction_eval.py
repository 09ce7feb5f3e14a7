"""Build alongside/listening/data/redaction_eval.jsonl, the labelled set the redaction engine
is measured on (docs/listening-redaction.md).

Every sentence below was written by us: none is a real contribution and every detail is made
up. Phone numbers come from Ofcom's ranges kept for drama (07700 900xxx, 01632 960xxx,
020 7946 0xxx, 0113 496 0xxx and the like), so none rings a real person.

Each entry marks its identifying details inline as [[code:text]]:
    n name, p phone, e email, a address, pc postcode, d date_of_birth, ni ni_number
An entry may start with "names=Tiny;Scouse|" to say which names the team added to its own list.

Every third entry (the 3rd, 6th, 9th ...) is held out: the rules were tuned on the rest, and
the held-out figures are reported beside them.

    python scripts/build_redaction_eval.py          # rewrite the file
    python scripts/build_redaction_eval.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "alongside/listening/data/redaction_eval.jsonl"
CODES = {
    "n": "name",
    "p": "phone",
    "e": "email",
    "a": "address",
    "pc": "postcode",
    "d": "date_of_birth",
    "ni": "ni_number",
}
MARK = re.compile(r"\[\[(n|p|e|a|pc|d|ni):(.+?)\]\]")

ENTRIES = [
    # --- WhatsApp and text messages ---------------------------------------------------------
    "Hi it's [[n:Sharon]] from the drop in, can you ring me back on [[p:07700 900461]] "
    "when you get a minute",
    "honestly the job centre were useless, [[n:kev]] came with me and even he couldnt believe it",
    "email me at [[e:gazza_m82@hotmail.co.uk]] cos my phone keeps getting cut off",
    "im at my mums now [[a:41 Barton Road]] [[pc:ox3 9lb]] till the council sort something",
    "no worries hun, ill see u tues at the food bank x",
    "me n [[n:jordan]] got sanctioned the same week, 4 weeks no money for being 10 mins late",
    "new number is [[p:07700900127]] the old one got nicked at the hostel",
    "[[n:Dawn]] said she'd come with me to the assessment but she's got covid now ffs",
    "can u text [[n:bex]] for me shes on [[p:07700 900 883]] tell her im ok",
    "lol the council rang me back after 3 weeks. 3 WEEKS",
    "my ni is [[ni:jk483627b]] if you need it for the form",
    "the landlord keeps texting at 2am, his name is [[n:Tony Marsh]] if anyone else has had him",
    "ok so my dob is [[d:17/09/1991]] and my postcode is [[pc:LS11 6QD]] is that enough",
    "sorry been rubbish at replying, in hospital since sat, ward 22, they think its my lungs",
    "tell [[n:Faith]] thanks for the food parcel it got us through the week",
    "my daughter [[n:lily]] keeps asking when we're going home",
    "ring me on [[p:+44 7700 900312]] im on a pay as you go",
    "its [[n:mo]] from the group, cant make thursday, dentist",
    "PIP assessment is at 9:15 on the 14th, anyone been to the one on Broad Street?",
    "we was in a room at [[a:12 Station Road]] for 9 months, 4 of us in one room",
    "thanks [[n:Jas]] 🙏 couldnt have done it without u",
    "I've had my UC payment cut again, £334 instead of £617, no letter nothing",
    "message aunty [[n:pat]] she knows the housing officer",
    "my email [[e:dazzlingdee@gmail.com]] send it there not the post",
    "nah the 111 people just said go to A&E, waited 7 hours",
    "been clean 6 months today 💪 [[n:Lee]] from the recovery group came round with a cake",
    "the new place is [[a:flat 6, 22 Chapel Street]] its tiny but its mine",
    "my worker is called [[n:Hope]] and she is amazing honestly",
    "I hope they sort the damp before the baby comes",
    "u can get me on [[p:07700-900-774]] after 6",
    "just moved to [[pc:M14 5RQ]] area, dont know anyone yet",
    "[[n:gemma]] and [[n:tash]] got me through lockdown, daily zoom quiz, saved my life",
    "I'll be at the Salvation Army on Saturday if anyone wants a brew",
    "its [[n:Rose]] x call me [[p:07700 900 206]]",
    "rose early, walked to the Job Centre, closed. Great.",
    "Mum's DOB is [[d:02/02/1958]] if the GP asks",
    "my bday is [[d:24th april]] lol not that anyone remembers",
    # --- Transcribed speech --------------------------------------------------------------
    "So I came out of Pentonville on the Friday, right, and nobody had told the council, so "
    "I'm stood there with my bag and forty-six quid and that's it.",
    "My name is [[n:Dawn Whitaker]] and I was moved into temporary accommodation in March "
    "2020 with my two boys.",
    "The probation officer, Mr [[n:Okafor]], he was all right actually, he rang round for me.",
    "Um, I was born [[d:3rd March 1987]], so I'm, what, thirty-seven now? And I've been in "
    "and out of services since I was fifteen.",
    "I'm [[n:Will]], I'm 34 and I've been sofa surfing since my relationship broke down.",
    "And my keyworker [[n:Mark]] sorted my PIP form out, first time anyone has explained it "
    "properly.",
    "Mark my words, if they close that centre people will die on the streets.",
    "You know what I mean, it's like, will anyone actually read this?",
    "My son [[n:Tyler]], he's nine, he had to move schools three times in one year.",
    "I said to her, I said, [[n:Maureen]], I can't do another winter in that flat.",
    "The doctor at the Royal Infirmary said it was anxiety, gave me a leaflet and that was it.",
    "We lived at [[a:14 Cowley Road]] for eleven years before the landlord sold up.",
    "We used to go down Cowley Road for the market, it's all changed now.",
    "My nan, Nanny [[n:Joan]], she brought me up, and when she died nobody asked where I "
    "was going to live.",
    "There was a lady called [[n:Bernadette]] at the church who did soup on Tuesdays.",
    "Yeah my date of birth is the [[d:twelfth of June, nineteen eighty]], if you need it.",
    "I rang the number they gave me, [[p:03069 990 214]], and it just went to a recorded message.",
    "I did eighteen months at Eastwood Park and came out to nothing, no bank account, no "
    "ID, nothing.",
    "My partner [[n:Darren]] works nights so I do the school run and the appointments.",
    "It was just after Christmas, like the 28th, they served the notice.",
    "Grace, that's what I needed, a bit of grace, not another warning letter.",
    "I was in the Priory for a bit, then the Warneford, then home with nothing in place.",
    "And then Mrs [[n:Begum]] from next door started bringing food round every day.",
    "I'm not being funny but Universal Credit is designed to make you give up.",
    "My brother [[n:Callum]] is inside at the moment, HMP Addiewell, so I visit on Sundays.",
    "The woman from the council, [[n:Janet]] I think her name was, she just kept saying "
    "computer says no.",
    "We were at [[a:number 9 Marsh Lane]] then, tiny two up two down.",
    "I'd sleep on the 25 bus, go round and round till the driver kicked me off at Ilford.",
    "I'm [[n:Grace]] and I'm sixty-two and I've never been on benefits before this.",
    "Will they take the kids off me if I tell them how bad the flat is?",
    "Hope you don't mind me saying but nobody from the council ever came to see it.",
    "My little girl [[n:Amber]] has asthma and the mould makes it worse every winter.",
    "An amber warning for wind and we had a tarp for a roof.",
    "[[n:Frank]] at the day centre, bless him, he'd save me a bacon roll every morning.",
    "To be frank I didn't trust any of them after what happened.",
    "Born and bred in Hull, me, never lived anywhere else.",
    "My birthday's the [[d:9th of November]] and I spent it in a police cell.",
    # --- Emails -----------------------------------------------------------------------------
    "Dear Ms [[n:Harper]],\nThank you for your letter. My National Insurance number is "
    "[[ni:NE 29 17 48 D]]. Please contact me at [[e:l.fairbrother@outlook.com]].\n"
    "Kind regards,\n[[n:Lorraine Fairbrother]]",
    "Hi [[n:Priya]],\nJust to let you know I've been offered a flat in Blackbird Leys, "
    "viewing on Monday. Fingers crossed!\nThanks,\n[[n:Nadia]]",
    "To whom it may concern, I am writing on behalf of my son [[n:Jack Evans]] (DOB "
    "[[d:11.05.2001]]) who was released from HMP Thameside on 2nd February with no "
    "accommodation.",
    "Good morning, please find attached my tenancy agreement for [[a:Flat 3, Marston Court]], "
    "[[pc:OX3 0DB]]. My landlord is Mr [[n:Graham Pike]], [[p:01632 960 082]].",
    "Hello, I attended the listening session on Thursday. I'd rather not give my name but I "
    "wanted to add that the Jobcentre on Cowley Road has no toilets for the public.",
    "Sent from my iPhone. Reply to [[e:kaz.jones1975@yahoo.co.uk]] not this address please.",
    "Hi both, the meeting has moved to 2pm on 15 October at the Town Hall. Best wishes, the "
    "listening team",
    "Dear Sir [[n:Ian]], I was discharged from the Royal London on 4 January at 11pm with "
    "nowhere to go.",
    "Many thanks for your help today. My phone is [[p:020 7946 0993]] and my email is "
    "[[e:tunde.adebayo@gmail.com]].\n[[n:Tunde]]",
    "Dear Listening Team, my name is [[n:Hannah Kowalski]], I was born on [[d:21 September "
    "1964]] and I have lived in Swindon since 1990.",
    "My details: [[n:Ryan Doherty]], [[a:58 Clifton Drive]], [[pc:BS8 4RJ]], NI no "
    "[[ni:TL 64 11 23 A]].",
    "Hi, I'm [[n:Stephen]], and I help run the men's shed on Ferry Road. We'd love to take part.",
    "Thanks for the chat. As promised, the number for the debt advice line is 0800 138 1111, "
    "they're free.",
    "Hello [[n:Mark]], sorry I missed your call. I'm free Wednesday after 3. [[n:Josie]]",
    "Please update my address to [[a:7 Meadow Close]], Kidlington, [[pc:OX5 1LT]]. Thank you.",
    "Apologies for the delay replying, it has been a difficult few weeks since the "
    "eviction on the 3rd.",
    "Could you pass this on to [[n:Ruth]] in the housing team? Her email bounced: "
    "[[e:ruth.ellis@cherwell-housing.org.uk]]",
    "Yours sincerely,\n[[n:Margaret O'Connell]] (Mrs)",
    "Best wishes,\nDr [[n:Anjali Mehta]]\nGP, Bartlemas Surgery",
    "I've copied in my advocate [[n:Femi Adeyemi]] ([[e:femi@rightsadvocacy.org]]) who can "
    "speak for me.",
    "I can be reached at [[p:+44 (0)113 496 0417]] on weekdays.",
    "Cheers,\n[[n:Baz]]",
    "Regards, [[n:K. Bhatt]]",
    "Dear Councillor [[n:Reid]], I am writing to you about the state of the hostel on "
    "Queen Street.",
    # --- Letters and forms ------------------------------------------------------------------
    "Name: [[n:Samantha Clarke]]\nDate of birth: [[d:09/12/1983]]\nNI number: "
    "[[ni:AB 12 34 56 C]]\nPhone: [[p:07700 900 118]]",
    "Full name: [[n:Mohammed Iqbal]]. D.O.B. [[d:1.4.76]]. Tel: [[p:0121 496 0255]].",
    "Address: [[a:Flat 12, Cedar House, 3 Windmill Lane]], Southall, [[pc:UB2 4NA]]",
    "I, [[n:Patricia Nwosu]], give consent for my words to be used without my name.",
    "Signed: [[n:J Whitfield]]   Date: 12/03/2024",
    "Applicant DOB: [[d:30-06-1995]]. Applicant NINO: [[ni:SJ 91 02 87 C]].",
    "Reference number 4471902 (please quote this on all correspondence).",
    "Your appointment: Monday 6 May, 10:40, Room 4, Littlemore Health Centre.",
    "Amount owed: £1,247.60. Payment plan: £20 per fortnight from 1 April.",
    "Emergency contact: [[n:Paul Hendry]] (brother), [[p:07700 900 951]]",
    "Previous address: [[a:221 Abbey Road]], Barrow-in-Furness, [[pc:LA14 5QW]]",
    "Contact preference: email ([[e:m.quinn@btinternet.com]]), no calls before 11am.",
    "Date of birth: [[d:4th Jan 1969]]",
    "NI: [[ni:pr 55 12 89 d]]",
    "Tel [[p:029 2018 0345]] / mob [[p:07700 900 560]]",
    "Postcode [[pc:CF24 4LT]], Cardiff",
    # --- Housing ----------------------------------------------------------------------------
    "The council put us in a hotel by the airport, forty minutes on two buses to get the kids "
    "to school.",
    "My landlord [[n:Steve]] turned the heating off in November to make us leave.",
    "They offered me a flat in Banbury but all my support is in Oxford, so I said no and "
    "they said that was me making myself intentionally homeless.",
    "I've been on the housing register since 2015, band 3, and I'm number 412 in the queue.",
    "The flat at [[a:27a Elm Grove]] had mushrooms growing out of the bathroom wall.",
    "[[n:Kwame]] from Shelter was the one who told me about the section 21 being invalid.",
    "Crisis and Shelter both said the same thing, get it in writing.",
    "We were at [[a:Flat 4, 19 Victoria Road]] until the fire.",
    "Victoria Road is where all the hostels are, everyone knows it.",
    "If you're ever on Mill Lane go and see the women at the community fridge, they're brilliant.",
    "My neighbour [[n:Bill]] used to check on me every day, then he passed in the first lockdown.",
    "The bill for the gas was £380 for one quarter, for a one bedroom flat.",
    "I've got my own place at last, [[a:3 Primrose Way]], and a cat called Biscuit.",
    "The housing officer said to ring her on [[p:01632 960811]] but it's always engaged.",
    "Temporary accommodation on the Leys, room 7, shared kitchen with twelve people.",
    "[[n:Sandra]] and [[n:Colin]] next door helped me move, I don't know what I'd have done.",
    "I waited 14 weeks for a repair on the boiler with a newborn.",
    "Twenty-three moves in nine years. That's what the system did to my kids.",
    "Send the keys to my sister's, [[a:88 Kingsway]], [[pc:HU3 2RF]].",
    "I was living on Park Street by then, a bedsit above the bookies.",
    "The eviction was set for 9am on 17 March 2022 and the bailiffs came at 8.",
    "When they finally came it was [[n:Gareth]], the same officer who evicted me.",
    # --- Benefits and money -----------------------------------------------------------------
    "Universal Credit said my NI number [[ni:WT 73 44 05 B]] didn't match, so no payment for "
    "five weeks.",
    "I get £91.90 a week ESA and pay £25 of it back for an advance I never asked for.",
    "The work coach, [[n:Imran]], was kind, but his hands were tied.",
    "They sanctioned me for missing an appointment on the day my mum died.",
    "My appeal is on 22 August at 2.30pm, tribunal centre on Bath Road.",
    "Personal Independence Payment took eleven months and I won at tribunal.",
    "My work coach Ms [[n:Lewandowska]] said she'd never seen anything like mine, which didn't "
    "help.",
    "Martin Lewis does more for people like me than the whole DWP.",
    "Citizens Advice got the debt written off, all £2,300 of it.",
    "I rang the DWP helpline 0800 328 5644 forty times in one day.",
    "The food bank on Saturday is the only time I eat fruit.",
    "The Trussell Trust voucher came from my GP, Dr [[n:Adebayo]], bless her.",
    "Tell Mrs [[n:Khan]] at the advice centre she's a star.",
    "My NI number is [[ni:YE 04 99 13 A]] and I've had three letters saying it's wrong.",
    "Payments went to the wrong account for 2 months because someone typed 63 instead of 36.",
    "I'm a carer for my husband [[n:Roy]] and I get £81.90 for 35 hours a week minimum.",
    "They asked for my date of birth, [[d:19 February 1973]], four times in one phone call.",
    "The advance was £450, paid back at £45 a month, on top of the bedroom tax.",
    "My National Insurance No. is [[ni:ZX 14 66 29 C]] and my claim reference is 88234917.",
    # --- Hospital and health ----------------------------------------------------------------
    "Discharged from the John Radcliffe at 11pm, no bus, no money, walking home in slippers.",
    "The ward sister, Sister [[n:Nkemelu]], was the only person who asked where I'd sleep.",
    "My consultant Dr [[n:Rachel Fenwick]] wrote to the council for me, that's what got me "
    "the flat.",
    "I was on Ward 5A for a month and nobody told my housing officer.",
    "St Thomas' were good to be fair, it was what came after.",
    "The mental health team's crisis line is 03069 990 100, it rang out.",
    "[[n:Olu]] from the peer support group is the reason I'm still here.",
    "I had my jab at the Kassam stadium, the queue went round the car park.",
    "My GP is at Bartlemas Surgery but I can never get through before 8:05.",
    "The social worker, [[n:Kerry-Ann Lewis]], visited twice in a year.",
    "My mum [[n:Patricia]] has dementia and I'm her only carer now.",
    "I was born at the Radcliffe and I'll probably die at the Radcliffe, ha.",
    "I was in A&E on the 2nd of January with chest pains and sent home the same night.",
    "Mental health waiting list was 18 months. Eighteen.",
    "Nurse [[n:Adaeze]] in the respiratory clinic took the time to ring my landlord.",
    "Marie Curie nurses came at the end for dad and they were angels.",
    "I bought the kids' coats in the Sue Ryder shop on Cowley Road.",
    "The occupational therapist [[n:Siobhan]] said the bath needs a rail, six months later, "
    "no rail.",
    # --- Prison release and justice ---------------------------------------------------------
    "Came out of HMP Winchester with a release date of 14 June and no address, they knew "
    "for months.",
    "My probation officer is [[n:Donna]], she's on [[p:0117 496 0321]] if you need to check.",
    "I did three years and came out to a tent in Bristol.",
    "The Through the Gate worker, [[n:Abdi]], met me at the gate with a coffee.",
    "Release date 23/11, Approved Premises at [[a:45 Canterbury Road]], [[pc:CT9 5BP]].",
    "[[n:jamie]] my cellmate had my number and rang when he got out, we're both doing ok.",
    "If I breach my licence I go back, so I sleep in the park rather than the hostel with "
    "drugs in it.",
    "My solicitor, Ms [[n:Adjoa Mensah]], [[p:020 7946 0266]], has all the paperwork.",
    "I was recalled for being 20 minutes late, because the bus was late.",
    "Probation changed my officer four times in one year.",
    # --- Lockdown ---------------------------------------------------------------------------
    "In the first lockdown they put everyone in the Holiday Inn, it was the best I'd been "
    "housed in years.",
    "Boris said stay at home. Which home?",
    "[[n:Chloe]] did my shopping every week in lockdown, a girl I'd never met before.",
    "We did the group on Zoom every Wednesday at 7, that kept me going.",
    "My daughter [[n:Ellie-May]] was born in [[d:April 2020]] and nobody met her for six months.",
    "Lockdown in a studio with two kids on the fourth floor of Blackbird Leys tower.",
    "The school sent a laptop for [[n:Josh]] but we had no wifi.",
    "Captain Tom walked round his garden and the country clapped, nobody clapped for us in "
    "the hostel.",
    "We had our clap for carers on the balcony of [[a:Flat 31, Kestrel House]].",
    "May was the worst month, the money ran out and the food bank closed for a week.",
    "My friend [[n:May]] lost her job at the airport and her flat in the same month.",
    "I was on furlough from March to September and still couldn't make the rent.",
    # --- Support workers and services -------------------------------------------------------
    "My support worker, [[n:Aisha Rahman]], her direct line is [[p:020 7946 0518]].",
    "Coaches like [[n:Lucy]] don't make you feel like a problem to be fixed.",
    "The first person who actually listened to me in years was [[n:Ben]] at the hub.",
    "I've had eleven support workers in three years. Eleven.",
    "[[n:Sam]], my coach, came to court with me and sat at the back.",
    "St Mungo's outreach found me on the Strand and got me into a hotel that night.",
    "My key worker [[n:Liam O'Brien]] can be emailed at [[e:liam.obrien@stmungos.example.org]].",
    "If you want a chat, [[n:Danielle]] runs the women's group, [[p:07700 900 342]].",
    "The Big Issue vendor training was the first course I finished.",
    "A worker called [[n:Precious]] at the refuge helped me open a bank account.",
    "[[n:Tomasz]] translated for me at every appointment, unpaid.",
    "[[n:Agnieszka]] i [[n:Marek]] from the Polish church brought us a fridge.",
    "We'd like to be credited as [[n:Hamza]] and [[n:Yusuf]] from Cowley.",
    "The Bridge project on Park End Street is the only place that opens on a Sunday.",
    "The advice worker was brilliant, she rang the council while I sat there.",
    "I'd give the coaching team ten out of ten, they never gave up on me.",
    "names=Tiny;Scouse|[[n:Tiny]] from the camp under the bridge and [[n:Scouse]] both got "
    "housed in the end.",
    "names=Big Al|[[n:Big Al]] used to look after all of us on the street.",
    "names=Smudge|Ask [[n:smudge]], he was there that night too.",
    "names=Nikki|[[n:Nikki]] sorted it all out with the landlord.",
    # --- Mixed, longer contributions --------------------------------------------------------
    "I'm [[n:Kerry]], I'm 41, I live at [[a:16 Rose Hill]], [[pc:OX4 4HT]]. I was evicted in "
    "2019 and it took three years to get back on my feet.",
    "Rose Hill community centre does a free lunch on Fridays if anyone needs it.",
    "So the housing officer, Mr [[n:Thompson]], he says to me, you're not priority. I've got "
    "a heart condition and I'm sleeping in my car.",
    "Hi, my name's [[n:Chantelle Robinson]], my mobile is [[p:07700 900 687]] and I'd be "
    "happy to talk more.",
    "Please don't use my name. I live near Gloucester Green and I've been waiting 5 years.",
    "Text [[n:Ade]] on [[p:07700 900 719]] he'll tell you what happened at the hostel.",
    "My ex, [[n:Wayne]], found my address through the school, so we had to move again.",
    "I've been clean since the 2nd of May 2021 and I got my own tenancy in June.",
    "My husband [[n:Dev Patel]] and I both lost our jobs at the start of lockdown.",
    "Call me on [[p:0161 496 0732]] or [[p:07700 900 248]], whichever.",
    "The number for the council's out of hours team is on the door: 01632 960 999.",
    "My date of birth is [[d:22.10.1999]] and I was in care from age 11.",
    "I turned 18 in care and the next day I was out, my birthday was [[d:3rd of August]].",
    "Because my birthday's in August I was always the youngest in the year.",
    "They gave me a DOB of [[d:1/1/1980]] at the Home Office because nobody knew mine.",
    "Wrote to my MP in March and got a reply in July.",
    "I came to the UK in 2003 and I've worked every year since, my NI number is "
    "[[ni:SN 22 51 74 B]].",
    "The receptionist at the surgery, [[n:Carol]], she always squeezes me in.",
    "Christmas was the hardest, [[n:Mikey]] was in hospital and I was in the B&B on my own.",
    "The Salvation Army lads played carols outside the hostel on Christmas Eve.",
    "Come to the drop in any Tuesday 10 till 12 at St Clement's church hall.",
    "[[n:Joy]] runs the knit and natter on Thursdays and she won't take no for an answer.",
    "It was a joy to finally have my own front door.",
    "[[n:Rob]] and me were both in care in Leeds, we met up again at the hostel 20 years later.",
    "They rob you blind with the meter, 28p a day standing charge even when it's empty.",
    "[[n:Sunita]] said I should write to you, she's my neighbour at [[a:5 Baker Street]].",
    "The Baker Street office closed in 2019, so now it's two buses to the nearest one.",
    "We were at [[a:Flat 9, 112-114 Holloway Road]] [[pc:N7 8JE]] when the ceiling came down.",
    "I stayed with my cousin [[n:Ngozi]] in Peckham for a month, then she got a warning off "
    "her landlord.",
    "Contact me: [[e:jay.1987@icloud.com]] or [[p:07700 900 435]].",
    "Anyone know if the Job Centre on Oxford Street still does walk ins?",
    "We need more people like [[n:Amanda Clarke]] who actually pick up the phone.",
    "My dad's called [[n:Terry]] and he's been in the same hostel since 2011.",
    "My housing worker is called [[n:Elaine]] and she's been brilliant.",
    "Even when I kicked off, [[n:Daniel]] never wrote me off. He's the reason I'm in college.",
    "I'd like to be credited as [[n:Sam]], Oxford Street.",
    "It's about respect. Treat people like people. That's it really.",
    "We were evicted from [[a:34 Bridge Street]], [[pc:NG7 1EX]] on the 3rd of December.",
    "The rent went up from £650 to £825 in one go.",
    "I live at [[a:no. 23 Holly Bush Lane]] and the bins haven't been collected in six weeks.",
    "My worker's email is [[e:s.hussain@oxfordhub.org.uk]] if you want to check any of this.",
    "Ring the helpline, 116 123, the Samaritans are there all night.",
    "My partner's number is [[p:07700 900 861]] and she's [[n:Kim]].",
    "I moved to [[a:Flat 2b, 40 Holyhead Road]], [[pc:CV1 3AB]] after the refuge.",
    "[[n:Stacey]] born [[d:14/02/1990]] - please update your records, you have it as 1999.",
    "My boy was born on [[d:14 February]] and the council moved us on the 16th.",
    "It's [[n:Rebecca Nwankwo]], I came to the session on Tuesday, my number changed to "
    "[[p:07700 900 593]].",
    "I'm writing because [[n:Julie]] from Age UK said I should.",
    "The lift at Kestrel House has been broken since August.",
    "Me and my mate [[n:dean]] were on the streets of Manchester for two winters.",
    "Coronation Street was on in the hostel every night, it was the only normal thing.",
    "I worked at the Royal Mail sorting office on Oxford Road for 22 years.",
    "Post it to [[a:Unit 4, 19 Dock Street]], [[pc:L3 4AX]] and mark it for my attention.",
    "Every appointment they ask for your postcode, your date of birth, your NI number, your "
    "life story.",
    "[[n:Ali]] at the mosque helped me fill in the forms in Urdu.",
    "The worker, [[n:Sean]], rang me on my birthday. Nobody else did.",
    "[[n:mark]] from the council finally rang back, it's sorted!!",
    "I'm [[n:Eilidh]] and I moved down from Glasgow for work that never came.",
    "Leeds Station at 5am is no place to sleep, but I did for a fortnight.",
    "My son's dad [[n:Kofi Mensah]] pays nothing and the CMS say they can't find him.",
    "You can reach Mr and Mrs [[n:Doyle]] at [[a:61 Fairfield Road]] about the room to rent.",
    "I was born on the [[d:5th of May 1978]] in Sheffield.",
    "Our group meets on the 1st and 3rd Monday of the month at Barton Neighbourhood Centre.",
    "He was born in Jamaica and came here when he was six.",
    "Just want to say [[n:Chris]] on the front desk is the kindest man alive.",
    "I'm on a 0 hours contract at the Amazon warehouse, 6 till 2.",
    "Please call [[p:(01632) 960 455]] and ask for [[n:Moira]].",
    "The phone number on the letter was wrong. It said 0345 600 000 which isn't a number.",
    "You can call me on [[p:0044 7700 900 842]] I'm back in Poland till Friday.",
    "I'm the mum of [[n:Isla]], she's 4 and has only ever lived in temporary accommodation.",
    "Isle of Wight ferry cost more than my weekly food budget.",
    "[[n:Nathan]] said the council told him to come back when he was actually on the street.",
    "Drop the forms at [[a:Flat 7 Orchard Court]] and I'll sign them.",
    "When I was at [[a:2 Church Lane]], the vicar used to leave bread on my step.",
    "I used to sleep in the doorway of the bank on Church Lane.",
    "We got married at the registry office on [[n:Hannah]]'s birthday.",
    "Ward 10, bed 4, the one by the window. I was there three weeks.",
    "Oh and my DOB is [[d:8 March 1962]] in case that's needed for the voucher.",
    "My mum [[n:Bridget]] came over from Mayo in 1961 and worked at the Cowley car plant.",
    "My pharmacist gave me her own number, [[p:01632 960 004]], for when the meds are late.",
    "Our office is open 9 to 5, Monday to Friday, closed bank holidays.",
    "[[n:Fatima]] and her three kids have been in one room at the Travelodge since Easter.",
    "At Easter the church gave out eggs to every kid in the hostel.",
    "If you speak to [[n:Luke Barnes]] tell him [[n:Jade]] says thank you.",
    "The jade plant on the windowsill is the only thing I brought from the old flat.",
    # --- Added: forms, obfuscated details, postcodes without a space -------------------------
    "DOB [[d:03/03/87]], NI [[ni:PE 51 24 19 A]], address [[a:27 Lytham Avenue]], [[pc:FY4 2NB]]",
    "I'm at [[a:Flat 2, 10 Smith Street]] now, [[pc:OX4 1DJ]], if you want to post the forms.",
    "Dear Sir or Madam, I am writing about my Universal Credit claim. My National Insurance "
    "number is [[ni:JK 48 36 27 B]] and my date of birth is [[d:14/07/1979]].",
    "When I got out of HMP Bullingdon on the Friday nobody had sorted anything, I had £46 "
    "discharge grant and a travel warrant to Oxford.",
    "email is [[e:kevinlowe at gmail dot com]] (spelt out so the bots dont get it)",
    "postcode is [[pc:SW98LU]] but the buzzer doesnt work so ring me",
    "we're in [[pc:e3 4np]] now, round the corner from my nan's",
    "The nurse on ward 7B said they'd phone my sister but they wrote down the wrong number, "
    "it's [[p:0161 496 0732]] not what they had.",
    "I was moved from the hostel on Iffley Road to a shared house in Littlemore.",
    "[[n:Hope]] was the only worker who actually listened to me, she never rushed me.",
    "We were on Oxford Street when the lockdown was announced and the shops just shut.",
    "They put me in a B&B on the Bath Road for six weeks with no cooker.",
    "You will be asked to attend the Jobcentre Plus on Tuesday 3rd March at 10:30am.",
    "Born [[d:3rd March 1987]] in Wythenshawe, lived round here all my life, never once been "
    "asked what I think.",
    "Theresa May was prime minister when they brought in the two child limit, or was it Cameron.",
    "I bank with Lloyds and they closed the branch on the high street.",
    "Me and [[n:Rose]] used to sit in the park on Cowley Road every afternoon in lockdown "
    "because there was nowhere else to go.",
    "[[n:Precious Okonkwo]], [[a:72 Stanley Road]], Wolverhampton, [[pc:WV10 9EL]], "
    "[[p:07700 900 390]]",
    "my sisters number is [[p:07700 900 655]] she's called [[n:shannon]]",
    "PC [[n:Hughes]] was decent, he drove me to the night shelter himself.",
    # --- Added: more of the fixed-format details, in the shapes people write them ----------
    "Please reply to <[[e:A.Osei@nhs.net]]> rather than my personal account.",
    "My email is [[e:JOHNBOYD1960@AOL.COM]] (caps lock is stuck sorry)",
    "the college email is [[e:k.nowak23@students.abingdon-witney.ac.uk]], the other one is full",
    "You can email me on [[e:cheryl+housing@gmail.com]] or just text.",
    "Drop me a line: [[e:bigmike_1977@live.co.uk]].",
    "my email is [[e:jade dot w at hotmail dot co dot uk]]",
    "The council replied from [[e:homeless.prevention@council.gov.uk]] after four weeks.",
    "Send the photos of the damp to [[e:r.ahmed-khan@outlook.com]] and I'll forward them.",
    "[[e:mandy.t@btinternet.com]] - that's my mum's but she passes things on",
    "Email: [[e:dev@patelfamily.me.uk]]",
    "National Insurance: [[ni:AB 123456 C]]",
    "ni number [[ni:jt-51-62-73-d]] i think, its on the letter",
    "My NI is [[ni:NH 63 08 15 A]], my wife's is [[ni:NH 63 09 27 B]].",
    "National insurance number [[ni:CE 40 58 72 D]] - I've only just got it after 2 years.",
    "They kept putting my NI as [[ni:MW 11 22 33 C]] when it's [[ni:MW 11 22 38 C]].",
    "NINO [[ni:RK408171C]]",
    "my NI num is [[ni:OA 36 91 27 D]]",
    "NI no. [[ni:HR 75 20 44 B]] DOB [[d:12 Aug 1977]]",
    "ring [[p:+447700900284]] anytime after the school run",
    "Mobile: [[p:+44 (0) 7700 900 456]]",
    "It's [[p:0207 946 0123]] for the office, ask for [[n:Kerry]].",
    "my new number [[p:07700 900-321]] save it x",
    "[[p:0113-496-0555]] is the number at my mum's, I'm there most days.",
    "call [[p:(0161) 496 0888]] and leave a message with [[n:Ayesha]]",
    "Tel. [[p:0131 496 0011]] (home)",
    "my number is [[p:07700 900 172]] and if that's off, [[p:07700 900 173]]",
    "Phone [[p:028 9018 0644]] between 9 and 5.",
    "Give [[n:Gav]] a ring on [[p:07700 900 509]], he'll tell you.",
    "my postcode is [[pc:B12 9QD]]",
    "we're over in [[pc:se15 5dq]] now, nearer my mum",
    "[[a:66 Easter Road]], Edinburgh [[pc:EH7 5QG]]",
    "Her flat's in [[pc:G31 2QW]], by the park.",
    "[[a:10 Ormeau Avenue]], [[pc:BT7 1NN]]",
    "The letter went to [[pc:S2 4SU]] which is my old address.",
    "postcode [[pc:NE61TA]] no space",
    "Our house was [[a:5 Mutley Plain]], Plymouth [[pc:PL4 8AA]]",
    "I'm in [[pc:DE23 6JS]] now if that helps with the area bit",
    "We need the boxes at [[a:3 Evington Drive]], [[pc:LE2 0QA]] before Friday.",
    "dob [[d:5/11/89]]",
    "D.O.B - [[d:12 Aug 1977]]",
    "I was born on [[d:2nd Feb '84]] so I'll be 40 next year.",
    "My date of birth is [[d:29th February 1996]], yes a leap year, every form breaks.",
    "his birthday is [[d:01.03.2002]] and hes been in foster care since he was 3",
    "My son was born [[d:12/12/2012]], a week before we were evicted.",
    "Birthday: [[d:7th July]]",
    "my date of birth [[d:19.8.93]]",
    "The deadline is 12/12/2023 and the fine is £100 if I miss it.",
    "I paid £12.12 for a cheese sandwich at the hospital, I'm not joking.",
    "Flight was on 3/3 at 07:45, coach from Gloucester Green at 04:00.",
    "Was it 2019 or 2020? I've lost track of everything since the eviction.",
    "Room 101 is what we called the office where they do the sanctions.",
    "Bus 4A to Cowley Centre every 10 minutes, unless it's a Sunday.",
    "My claim was 1 of 500 they got wrong that month, according to the MP.",
    "The 0800 number doesn't work from a pay as you go phone.",
    "Their office is at the Town Hall on St Aldate's, ground floor.",
    "The B&B was on Banbury Road, next to the petrol station.",
]


def parse(entry: str, number: int, part: str | None = None) -> dict:
    """One marked-up entry as a labelled row. `part` None: every third entry is "holdout" and
    the rest "tune"; otherwise every entry gets `part`."""
    names: list[str] = []
    if entry.startswith("names="):
        head, entry = entry.split("|", 1)
        names = [n for n in head.removeprefix("names=").split(";") if n]
    text, spans, details, last = [], [], [], 0
    length = 0
    for match in MARK.finditer(entry):
        before = entry[last : match.start()]
        text.append(before)
        length += len(before)
        detail = match.group(2)
        spans.append({"start": length, "end": length + len(detail), "label": CODES[match[1]]})
        details.append(detail)
        text.append(detail)
        length += len(detail)
        last = match.end()
    text.append(entry[last:])
    joined = "".join(text)
    if "[[" in joined or "]]" in joined:
        raise ValueError(f"entry {number}: unclosed mark in {entry!r}")
    for span, detail in zip(spans, details, strict=True):
        # A span that drifts from its mark would score the engine against the wrong text.
        if joined[span["start"] : span["end"]] != detail:
            raise ValueError(f"entry {number}: span {span} does not cover {detail!r}")
    if part is None:
        part = "holdout" if number % 3 == 0 else "tune"
    row: dict = {"text": joined, "spans": spans, "part": part}
    if names:
        row["extra_names"] = names
    return row


def rows_to_jsonl(entries: list[str], part: str | None = None, distinct: bool = False) -> str:
    """The JSON-lines file for marked-up entries (every third one held out unless `part` names
    the one part of them all); `distinct` refuses two entries with the same text."""
    rows = [parse(entry, number, part) for number, entry in enumerate(entries, 1)]
    texts = [row["text"] for row in rows]
    if distinct and len(set(texts)) != len(texts):
        raise ValueError("two entries have the same text")
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def write_or_check(out: Path, content: str, entries: int, script: str) -> int:
    """Write `out`, or with --check on the command line say whether it is out of date."""
    if "--check" in sys.argv:
        if not out.exists() or out.read_text(encoding="utf-8") != content:
            print(f"{out} is out of date: run scripts/{script}")
            return 1
        return 0
    out.write_text(content, encoding="utf-8")
    print(f"wrote {entries} sentences to {out}")
    return 0


def build() -> str:
    return rows_to_jsonl(ENTRIES)


def main() -> int:
    return write_or_check(OUT, build(), len(ENTRIES), "build_redaction_eval.py")


if __name__ == "__main__":
    sys.exit(main())
