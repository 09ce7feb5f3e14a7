"""Word banks for the synthetic demo: names, places, and the things people say.

Everything here is invented. It is written the way good coaching notes are written:
with the person, in plain words, noticing strengths and following the person's choices.
`tests/test_seed_demo.py` checks that none of it slips into deficit language.
"""

from __future__ import annotations


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]


# --- names: a realistic mix for a UK town -------------------------------------------

# First names in three banks, so that pronouns (when someone gives them) fit the name.
FEMININE_NAMES = _names(
    """
    Amy, Becky, Beth, Charlotte, Chloe, Claire, Danielle, Debbie, Donna, Emma, Gemma, Hannah,
    Jade, Jess, Joanne, Karen, Kayleigh, Kelly, Kirsty, Laura, Leanne, Lisa, Marie, Michelle,
    Nicola, Rachel, Sarah, Shannon, Sharon, Stacey, Tracy, Vicky, Zoe, Aileen, Eilidh, Iona,
    Niamh, Seren, Siobhan, Siân, Aoife, Mhairi, Anjali, Farah, Nadia, Nasreen, Pooja, Sabina,
    Salma, Samina, Shabana, Yasmin, Zainab, Abena, Adaeze, Ebony, Grace, Kemi, Marcia, Nia,
    Sade, Amina, Fatima, Hawa, Hodan, Layla, Mariam, Samira, Shirin, Zahra, Agnieszka, Ioana,
    Kasia, Zofia, Inês, Bridget, Mary-Ann, Linh, Mei, Rutendo, Senait
    """
)
MASCULINE_NAMES = _names(
    """
    Adam, Aiden, Alfie, Andrew, Ben, Bradley, Callum, Carl, Chris, Connor, Craig, Darren, Dean,
    Gary, Harry, Jack, Jason, Josh, Kieran, Lee, Lewis, Liam, Luke, Mark, Nathan, Paul, Ricky,
    Ryan, Scott, Steve, Stuart, Terry, Tyler, Wayne, Angus, Ciaran, Dylan, Fergus, Gethin, Rhys,
    Declan, Ewan, Padraig, Aamir, Arjun, Asif, Imran, Rajesh, Ravi, Sanjay, Sunil, Tariq,
    Zubair, Chidi, Delroy, Desmond, Femi, Kwame, Leroy, Obi, Tunde, Winston, Yaw, Abdi, Ahmed,
    Hassan, Khalid, Mohamed, Omar, Rahim, Saeed, Yusuf, Andrei, Bogdan, Jakub, Marek, Mihai,
    Piotr, Tomas, Vytautas, João, Tiago, Johnny, Levi, Patrick, Sonny, Minh, Wei, Dawit
    """
)
UNISEX_NAMES = _names(
    """
    Jamie, Jordan, Kiran, Harpreet, Jaswinder, Navdeep, Tendai, Alex, Charlie, Robin,
    Frankie, Ashley, Morgan, Sasha, Riley, Rowan
    """
)

SURNAMES = _names(
    """
    Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,
    Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Hughes, Edwards, Turner,
    Lewis, Harris, Cooper, Ward, Morris, Bailey, Kelly, Murphy, O'Brien, O'Connor, Doyle,
    McDonald, Campbell, Stewart, MacLeod, Fraser, Griffiths, Pritchard, Llewellyn, Khan, Ahmed,
    Hussain, Ali, Begum, Patel, Shah, Singh, Kaur, Sharma, Chowdhury, Rahman, Iqbal, Malik,
    Gill, Sandhu, Mistry, Okafor, Adeyemi, Mensah, Boateng, Campbell-Reid, Francis, Henry,
    Grant, Nwosu, Osei, Asante, Mohammed, Abdullahi, Warsame, Hassan, Yusuf, Farah, Karimi,
    Rezaei, Kowalski, Nowak, Wiśniewski, Popescu, Ionescu, Kazlauskas, Silva, Santos, Ferreira,
    Nguyen, Tran, Chen, Wong, Li, Lee, Moyo, Dube, Tesfaye, Haile, Price, Lovell, Boswell,
    Doherty
    """
)

# Nicknames people go by; (nickname, which bank the pronouns come from).
NICKNAMES = [
    *(
        (name, "feminine")
        for name in _names("Bex, Tash, Shaz, Kaz, Jojo, Dee Dee, Rosie, Billie, Kez, Saff")
    ),
    *(
        (name, "masculine")
        for name in _names("Mo, Gaz, Robbo, Macca, Sully, Tiny, Bash, Smudge, Moz, Taz")
    ),
    *((name, "unisex") for name in _names("Jay, Frankie, Dizzy, Red, Ash, Leo, Nish, Charlie")),
]

# Pronouns are optional: most people never give them.
PRONOUNS = {
    "feminine": ["", "", "", "she/her", "she/her", "she/they"],
    "masculine": ["", "", "", "he/him", "he/him", "he/they"],
    "unisex": ["", "", "", "they/them", "she/her", "he/him"],
}

# Names for the additional coaches, in order; usernames are made from their position.
COACH_FIRST_NAMES = _names(
    """
    Amira, Ben, Chloe, Dan, Efua, Finn, Gita, Hamid, Isla, Joel, Kasia, Leon, Maya, Nathan,
    Olu, Petra, Qasim, Rosa, Sol, Tamsin, Umar, Vera, Will, Ximena, Yara, Zak
    """
)

# --- where we met: always the person's choice ---------------------------------------

PLACES = [
    "the library café",
    "the bench by the canal",
    "a walk round the park",
    "the community garden",
    "the café at the bus station",
    "the day centre kitchen",
    "on the phone",
    "a video call",
    "the chippy on the high street",
    "their flat",
    "the allotments",
    "the leisure centre café",
    "the market",
    "the church hall",
    "a walk along the river",
    "the boxing gym",
    "the mosque community room",
    "the food bank café",
    "the bakery on Station Road",
    "the town centre, walking",
    "the college canteen",
    "the football pitches",
    "the museum café",
    "the back room at the Hub",
]

# --- conversations ------------------------------------------------------------------
# {name} is the person's chosen name, {place} where they chose to meet.

OPENINGS = [
    "{name} chose to meet at {place}.",
    "{name} picked {place} this time.",
    "We met at {place}, {name}'s idea.",
    "{name} wanted to meet at {place} today.",
    "{name} suggested {place}, which worked well.",
    "We went with {place}, as {name} asked.",
]

# (what we talked about, what the person chose to do next about it; "" for nothing specific)
TOPICS = [
    (
        "We talked about the flat viewing next week and what {name} wants to ask the landlord.",
        "{name} decided to go to the viewing alone and text me afterwards.",
    ),
    (
        "We talked about how the first week at the new place has gone.",
        "{name} wants to get the gas account into their own name this week.",
    ),
    ("We talked about football, and about the five-a-side team {name} used to play for.", ""),
    (
        "{name} talked me through the letter from the council and we read it together.",
        "{name} decided to ring the housing officer on Monday, and I'll be around if wanted.",
    ),
    (
        "We talked about {name}'s kids and the plan for seeing them at half term.",
        "{name} decided to ask their sister to come along to the contact centre.",
    ),
    (
        "{name} told me about the course at the college and what the first session was like.",
        "{name} chose to leave the maths part for now and come back to it next month.",
    ),
    (
        "We talked about money this month and what {name} wants to put aside.",
        "{name} will look at the budget for interview clothes and decide what to ask for.",
    ),
    ("We talked about sleep, and what helps {name} wind down at night.", ""),
    (
        "{name} wanted to talk about going back to work and what kind of work feels right.",
        "{name} chose to take a break from the job search for a couple of weeks.",
    ),
    ("We talked about the allotment and the plans for winter veg.", ""),
    (
        "We talked about {name}'s mum, and the phone call {name} has been thinking about.",
        "{name} will decide by the weekend whether to ring; no rush.",
    ),
    ("{name} shared some of the music that has been getting them through the week.", ""),
    ("We talked about the recovery meeting {name} went to on Tuesday.", ""),
    ("{name} talked about the dog, who is doing well with the new walking route.", ""),
    (
        "We went through the bus routes to the job interview together.",
        "{name} will do a practice run of the journey on Friday.",
    ),
    ("We talked about cooking on a budget; {name} has some good recipes.", ""),
    (
        "We talked about the volunteering shifts at the food bank.",
        "{name} decided to drop to one shift a week for now.",
    ),
    ("{name} talked about what a good week looks like now compared with the spring.", ""),
    (
        "We talked about the driving theory test and how {name} is revising.",
        "{name} decided to book the theory test for next month.",
    ),
    ("We talked about faith, and the community at the mosque that {name} is part of.", ""),
    ("{name} wanted to talk about feeling low this week; we took it slowly.", ""),
    (
        "We talked about the GP appointment and what {name} wants to say.",
        "{name} chose to write a list to take in, and to go on their own.",
    ),
    ("We talked about the bike {name} is fixing up and where the parts come from.", ""),
    ("{name} told me about the art group and the piece they are working on.", ""),
    (
        "We talked about the benefits review and what {name} would like me to be there for.",
        "{name} would like me at the review, to take notes and say nothing unless asked.",
    ),
    (
        "We talked about moving on from the hostel and what matters in a new area.",
        "{name} chose to fill in the housing form together next time, not alone.",
    ),
]

NOTICED = [
    "{name} was clear about what matters most, which I noticed and said so.",
    "I noticed how much {name} knows about fixing things.",
    "{name} has a real knack for getting people talking; the café staff know them by name.",
    "{name} stayed calm and kept asking questions when the answer wasn't straightforward.",
    "I noticed how carefully {name} plans things out.",
    "{name} was funny and honest about how the week went.",
    "{name} had already done the hard part before we met: the phone call was made.",
    "I noticed how much {name} cares about their family.",
    "{name} remembered every detail of the letter; a sharp memory.",
    "{name} has kept going with the walks, every day this week.",
    "{name} spoke up for a friend at the day centre, which took courage.",
    "{name} knows the town inside out and showed me a shortcut.",
]

# For when the conversation didn't lead anywhere in particular.
NEXT_STEPS = [
    "{name} would like to meet again in a fortnight, same place.",
    "{name} wants to try the Saturday walking group and will let me know how it goes.",
    "{name} would rather talk on the phone next week; that's fine.",
    "Nothing to do before next time: {name} just wanted to catch up.",
    "{name} chose somewhere different for next time: we'll walk by the river.",
    "{name} will text when they'd like to meet next.",
]

REFLECTIONS = [
    "Felt good to get that off my chest.",
    "I'm proud of myself for going.",
    "Better week than last. Still tired but getting there.",
    "I didn't think I'd manage the phone call but I did.",
    "Nice to talk about normal stuff for once.",
    "I'm nervous about the viewing but I want it.",
    "I like that I get to say where we meet.",
    "Not a great week. Glad I came anyway.",
    "Seeing the kids on Saturday, can't wait.",
    "I want to keep the momentum going.",
    "I'd like to slow down a bit, too much at once.",
    "Good to have someone in my corner.",
    "I know what I want now, I just need time.",
    "Cooked a proper meal three nights this week.",
]

# --- strengths, in the person's own words, by kind ------------------------------------

STRENGTHS = {
    "skill": [
        "I can fix pretty much any bike",
        "I'm a good cook, especially curries",
        "I can drive a forklift",
        "I'm good with numbers",
        "I can paint and decorate",
        "I used to be a chef, I can still run a kitchen",
        "I know my way round a computer",
        "I can speak three languages",
        "I'm handy with tools",
        "I'm good at drawing",
        "I can cut hair",
        "I grow things: veg, herbs, anything",
    ],
    "quality": [
        "I don't give up",
        "I'm honest, sometimes too honest",
        "I look out for people",
        "I'm funny, people say I cheer them up",
        "I'm patient with kids",
        "I'm calm in a crisis",
        "I'm loyal to my mates",
        "I'm a hard worker when I get going",
        "I'm good at listening",
        "I'm stubborn in a good way",
    ],
    "interest": [
        "Football, I support the local team",
        "Music, I play guitar",
        "Fishing",
        "Boxing",
        "Reading crime novels",
        "Gardening",
        "Photography on my phone",
        "Gaming",
        "Walking in the hills",
        "Cooking for friends",
        "Poetry and writing",
        "History, especially local history",
    ],
    "person": [
        "My sister, she's always there for me",
        "My nan",
        "My daughter",
        "My mate from school",
        "My sponsor",
        "My neighbour across the landing",
        "My cousin in Leeds",
        "My dad, we're talking again",
        "My partner",
        "The lad from the boxing gym",
    ],
    "place": [
        "The library, it's quiet and warm",
        "The allotment on Mill Lane",
        "The park by the river",
        "The boxing gym",
        "The mosque",
        "The day centre on Tuesdays",
        "My church",
        "The café where they know me",
    ],
    "group": [
        "My recovery group on Thursdays",
        "The walking group",
        "Five-a-side on Sunday mornings",
        "The art group at the Hub",
        "The men's shed",
        "The community choir",
        "The food bank volunteers",
    ],
    "resource": [
        "My bike",
        "My phone, so I can stay in touch",
        "My bus pass",
        "My dog, she gets me out every day",
        "My guitar",
        "A bank account in my own name",
    ],
}

# --- goals: themes that tie goals, spending and milestones together -------------------
# words: the goal in the person's words; why: why it matters to them;
# spends: (what for, category, low pence, high pence); milestone: (kind, words) or None.

GOAL_THEMES = [
    {
        "words": ["Get my driving licence back", "Pass my driving test"],
        "why": [
            "so I can see my kids at weekends",
            "so I can go for delivery driver jobs",
            "so I'm not stuck waiting for buses",
        ],
        "spends": [
            ("Driving theory test", "training", 2300, 2300),
            ("Provisional licence", "training", 3400, 3400),
            ("Two driving lessons", "training", 6000, 8000),
        ],
        "milestone": ("got my licence", "Passed first time"),
    },
    {
        "words": ["Find a flat of my own", "Get my own place near my family"],
        "why": [
            "so I can have my kids to stay",
            "I want a door I can lock and a key that's mine",
            "somewhere quiet where I can sleep properly",
        ],
        "spends": [
            ("Bedding and towels for the new flat", "home", 4000, 9000),
            ("Second-hand fridge", "home", 6000, 12000),
            ("Pots, pans and a kettle", "home", 3000, 6000),
            ("Deposit towards a bed", "home", 8000, 15000),
        ],
        "milestone": ("own home", "Got the keys"),
    },
    {
        "words": ["Keep my tenancy going", "Make the flat feel like home"],
        "why": [
            "I've lost places before and I don't want that again",
            "I want somewhere I'm proud to have people round",
        ],
        "spends": [
            ("Curtains and a lamp", "home", 3000, 7000),
            ("Paint for the living room", "home", 2500, 5000),
        ],
        "milestone": ("kept home 6 months", "Six months in the flat"),
    },
    {
        "words": ["Get back into work", "Find a job I actually like"],
        "why": [
            "I want to pay my own way",
            "I miss being part of a team",
            "so my kids see me going to work",
        ],
        "spends": [
            ("Interview clothes", "clothes", 4000, 9000),
            ("Steel toe-cap boots", "clothes", 3500, 6000),
            ("Bus pass for the first month of work", "travel", 5000, 7500),
            ("CSCS card course", "training", 9000, 14000),
        ],
        "milestone": ("started work", "First shift done"),
    },
    {
        "words": ["Do a course at the college", "Get my English and maths"],
        "why": [
            "I left school with nothing and I want to prove I can",
            "so I can help my kids with their homework",
            "it's the first step to the job I want",
        ],
        "spends": [
            ("Course books", "training", 2000, 5000),
            ("Second-hand laptop for coursework", "training", 12000, 20000),
            ("Bus fares to college", "travel", 2000, 4000),
        ],
        "milestone": ("started a course", "First week at college"),
    },
    {
        "words": ["See my kids more", "Rebuild things with my daughter"],
        "why": [
            "they're the reason I keep going",
            "I missed too much and I want to be there now",
        ],
        "spends": [
            ("Train fare to visit my kids", "travel", 2500, 6000),
            ("Birthday present for my son", "family", 1500, 3000),
        ],
        "milestone": ("reconnected with family", "Saw the kids for the day"),
    },
    {
        "words": ["Get in touch with my brother again", "Make things right with my mum"],
        "why": [
            "we haven't spoken in years and I think about him every day",
            "she's getting older and I don't want to leave it too late",
        ],
        "spends": [("Coach ticket to visit family", "travel", 2500, 5500)],
        "milestone": ("reconnected with family", "Had a proper chat with my brother"),
    },
    {
        "words": ["Volunteer somewhere", "Give something back"],
        "why": [
            "people helped me and I want to do the same",
            "it gets me out of the house and around people",
        ],
        "spends": [("Food hygiene certificate", "training", 1500, 2500)],
        "milestone": ("volunteering", "First shift at the food bank"),
    },
    {
        "words": ["Stay sober", "Keep going with my recovery"],
        "why": [
            "I like who I am when I'm well",
            "I want to be around for my grandkids",
        ],
        "spends": [("Gym membership", "wellbeing", 2000, 3000)],
        "milestone": ("a year in recovery", "A year today"),
    },
    {
        "words": ["Get fit again", "Start boxing again"],
        "why": [
            "it clears my head like nothing else",
            "I used to be good at it and I want that feeling back",
        ],
        "spends": [
            ("Trainers", "clothes", 3000, 6000),
            ("Boxing gym membership", "wellbeing", 2500, 4000),
        ],
        "milestone": None,
    },
    {
        "words": ["Sort out my money", "Get on top of my debts"],
        "why": [
            "the letters keep me awake",
            "I want to stop worrying every time the post comes",
        ],
        "spends": [("Phone top-up to call the debt advice line", "phone", 1000, 2000)],
        "milestone": ("cleared a debt", "Paid off the catalogue"),
    },
    {
        "words": ["Get a phone that works", "Get online"],
        "why": [
            "everything needs a phone now, even the doctor",
            "so my family can reach me",
        ],
        "spends": [
            ("Basic smartphone", "phone", 6000, 12000),
            ("Three months of phone credit", "phone", 3000, 4500),
        ],
        "milestone": None,
    },
    {
        "words": ["Grow my own veg", "Get an allotment"],
        "why": [
            "it's the only time my head goes quiet",
            "my grandad grew everything and I want to carry that on",
        ],
        "spends": [("Seeds and tools", "hobby", 1500, 4000)],
        "milestone": None,
    },
    {
        "words": ["Learn to cook properly", "Cook for my family at Christmas"],
        "why": [
            "I'm sick of living on takeaways",
            "I want to sit round a table with everyone again",
        ],
        "spends": [("Slow cooker", "home", 2000, 3500)],
        "milestone": None,
    },
    {
        "words": ["Get my ID sorted", "Open a bank account"],
        "why": [
            "you can't do anything without ID",
            "so my wages can go somewhere safe",
        ],
        "spends": [("Birth certificate copy", "documents", 1100, 3800)],
        "milestone": ("got ID", "Birth certificate arrived"),
    },
    {
        "words": ["Go to the football with my son", "See the lads play at home"],
        "why": [
            "it's our thing, we used to go every other week",
            "I haven't been to a match in ten years",
        ],
        "spends": [("Two match tickets", "leisure", 3000, 6000)],
        "milestone": None,
    },
    {
        "words": ["Play music again", "Get a band together"],
        "why": ["music is how I say things", "I was good once and I want to be good again"],
        "spends": [("Guitar strings and a capo", "hobby", 1500, 3000)],
        "milestone": None,
    },
    {
        "words": ["Feel less anxious going out", "Get the bus on my own"],
        "why": [
            "I want my life to be bigger than these four walls",
            "I want to be able to get to my mum's without help",
        ],
        "spends": [("Bus pass", "travel", 2500, 6000)],
        "milestone": None,
    },
]

CHANGED_MY_MIND_WHY = [
    "I thought I wanted this but something else matters more now.",
    "Not the right time, maybe later.",
    "I found something I like better.",
]

# --- relationship changes -----------------------------------------------------------

# Pausing: in the person's words, how they'd like us to keep in touch.
PAUSE_NOTES = [
    "Text me once a month, I'll reply when I'm ready.",
    "I'm working full time now, drop me a message after Christmas.",
    "Going to stay with my sister for a bit. Send a card to her address.",
    "Need a break. Don't call, just text now and then.",
    "I'm fine for now. Check in around my birthday?",
    "Busy with the new job. A message every few weeks is good.",
    "I'll get in touch when the court stuff is done. A text is fine.",
    "Having a rough patch, I want some space. Leave a note at the Hub if anything comes up.",
]

# Ending: what's in place now, in the person's words.
ENDED_NOTES = [
    "I've got my own flat and a job at the warehouse. I know I can come back any time.",
    "My sister and my group at church are my people now. I'll shout if I need you.",
    "Moving to Bristol to be near my kids. Got a GP and a room sorted there.",
    "I'm doing the course and I've got my mates from the allotment. Thanks for everything.",
    "I'm good. I've got my sponsor and my meetings. Door's open both ways.",
    "Settled in the flat, paying my way, seeing my daughter every Saturday.",
    "I'm working with the team at the college now and that's enough for me.",
]

# --- milestones without a goal behind them -----------------------------------------

EXTRA_MILESTONES = [
    ("volunteering", "Helped out at the community breakfast"),
    ("reconnected with family", "Went to my cousin's wedding"),
    ("started a course", "Signed up for the first aid course"),
    ("kept home 6 months", "Half a year in the same place"),
    ("started work", "Got a few shifts at the café"),
    ("own home", "Moved into the housing association flat"),
]

# --- barriers: something in the system that got in the way -----------------------------

BARRIERS = [
    {
        "service": "Housing register: local connection rule",
        "what_happened": (
            "Was told {name} couldn't join the register because of the years spent in another "
            "town, even though all of {name}'s family are here."
        ),
        "what_we_did": "Wrote to the housing team together with letters from family.",
        "outcome": "Accepted onto the register after six weeks.",
    },
    {
        "service": "GP surgery: proof of address to register",
        "what_happened": "The receptionist asked for a utility bill {name} doesn't have.",
        "what_we_did": "Showed the surgery the national guidance that no address is needed.",
        "outcome": "Registered the same week.",
    },
    {
        "service": "Bank: ID needed to open an account",
        "what_happened": "{name} had a job offer but no account for wages to go into.",
        "what_we_did": "Found a bank that accepts a letter from us alongside a birth certificate.",
        "outcome": "Account opened; first wages paid in.",
    },
    {
        "service": "Jobcentre: appointment times",
        "what_happened": "Appointments kept clashing with {name}'s shifts at the food bank.",
        "what_we_did": "Asked for phone appointments instead, with {name}'s agreement.",
        "outcome": "Now a monthly phone call.",
    },
    {
        "service": "Hostel: no visitors rule",
        "what_happened": "{name} couldn't have their children visit at all.",
        "what_we_did": "Talked to the manager about a family room on Sunday afternoons.",
        "outcome": "Still waiting for an answer.",
    },
    {
        "service": "Universal Credit: claim needs a phone and email",
        "what_happened": "{name}'s phone was stolen and the claim stopped.",
        "what_we_did": "Used the library computer together and got a new phone from the budget.",
        "outcome": "Claim back on track; one payment was late.",
    },
    {
        "service": "Probation: appointments at fixed times",
        "what_happened": "Appointments at 9am on weekdays clashed with {name}'s new job.",
        "what_we_did": "{name} asked the probation officer, with me there, for evening slots.",
        "outcome": "Moved to Thursday evenings.",
    },
    {
        "service": "Council tax: letters sent to an old address",
        "what_happened": "{name} got a court summons for bills never seen.",
        "what_we_did": "Called the council together and set up a payment plan.",
        "outcome": "Summons withdrawn.",
    },
    {
        "service": "Dentist: no NHS places",
        "what_happened": "{name} has been in pain for months and every dentist said no.",
        "what_we_did": "Found the emergency dental line and went along.",
        "outcome": "Treated, but still no regular dentist.",
    },
    {
        "service": "Mental health team: sent back to the GP",
        "what_happened": "{name} was told to stop drinking before any help with anxiety.",
        "what_we_did": "Asked for a joint appointment with both teams, at {name}'s request.",
        "outcome": "",
    },
]
