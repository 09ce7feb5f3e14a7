"""`manage.py demo_totp`: the current two-factor code for each demo lead."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from alongside.demo.sign_ins import DEMO_SIGN_INS


class Command(BaseCommand):
    help = "Print each demo lead's current 6-digit sign-in code (demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        step = 30
        left = step - int(time.time()) % step
        for lead in (s for s in DEMO_SIGN_INS if s.totp_key_hex):
            code = totp(bytes.fromhex(lead.totp_key_hex), step=step, digits=6)
            self.stdout.write(f"{lead.username}: {code:06d}  (changes in {left}s)")
