"""The demo sign-ins: one per role, printed by `make run` and used by the browser tests.

These exist only in the synthetic demo organisation that `manage.py seed_demo` builds.
The passphrases are public on purpose; never load the demo into a real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

from alongside.accounts.models import Role

AREA = ("Northfield", "northfield")
# (name, slug, kind). Only leads need two-factor in the demo (the organisations do not require it).
ORGANISATIONS = [
    ("Harbour Lane Coaching", "harbour-lane", "provider"),
    ("Riverside Futures", "riverside-futures", "provider"),
    ("Northfield Council", "northfield-council", "local_authority"),
    ("Strengths Network", "strengths-network", "network"),
]
# A fixed TOTP key so the demo lead can sign in with a known authenticator entry.
DEMO_LEAD_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238 test key
# Every lead signs in with a code; the network's lead has a key of her own (public, demo only).
DEMO_NETWORK_LEAD_TOTP_KEY_HEX = b"strengths-network-20".hex()
NETWORK_SLUG = "strengths-network"
NETWORK_LEAD = "nell"
# The demo's providers are members of the network (alongside/demo/network.py adds others).
NETWORK_MEMBER_SLUGS = ("harbour-lane", "riverside-futures")


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    username: str
    passphrase: str
    first_name: str
    organisation_slug: str
    totp_key_hex: str | None = None
    # Other roles held at the same organisation (the analyst also listens, so a listening
    # exercise started from a finding opens for her).
    also: tuple[str, ...] = ()

    def totp_base32(self) -> str | None:
        import base64

        if self.totp_key_hex is None:
            return None
        return base64.b32encode(bytes.fromhex(self.totp_key_hex)).decode()


DEMO_SIGN_INS: list[DemoSignIn] = [
    DemoSignIn(Role.COACH, "priya", "demo coach kettle morning", "Priya", "harbour-lane"),
    DemoSignIn(
        Role.LEAD,
        "morag",
        "demo lead lighthouse walk",
        "Morag",
        "harbour-lane",
        DEMO_LEAD_TOTP_KEY_HEX,
    ),
    DemoSignIn(Role.CONVENER, "dee", "demo convener round table", "Dee", "harbour-lane"),
    DemoSignIn(Role.LISTENER, "kofi", "demo listener open question", "Kofi", "harbour-lane"),
    DemoSignIn(
        Role.COMMISSIONER, "aisha", "demo commissioner area picture", "Aisha", "northfield-council"
    ),
    DemoSignIn(
        Role.ANALYST,
        "nadia",
        "demo analyst fair shares",
        "Nadia",
        "northfield-council",
        also=(Role.LISTENER,),
    ),
    DemoSignIn(Role.ASSESSOR, "lena", "demo assessor network visit", "Lena", "strengths-network"),
    DemoSignIn(
        Role.LEAD,
        NETWORK_LEAD,
        "demo network lead open door",
        "Nell",
        NETWORK_SLUG,
        DEMO_NETWORK_LEAD_TOTP_KEY_HEX,
    ),
    # A person: signs in with the username and passphrase they chose from an invite code.
    DemoSignIn("person", "sam", "demo sam green bicycle", "", "harbour-lane"),
]
# The person "sam" works alongside the coach "priya"; their chosen name is "Sam".
DEMO_PERSON_NAME = "Sam"
DEMO_OTHER_COACH = ("tom", "Tom", "riverside-futures")  # another organisation, for contrast
