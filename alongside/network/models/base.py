"""What every network record shares."""

from __future__ import annotations


class AboutNoPerson:
    """Nothing the network keeps is about someone who is coached: the audit log files each
    change under an organisation (`audit_organisation_id`), never under a person."""

    @property
    def audit_person_id(self) -> None:
        return None
