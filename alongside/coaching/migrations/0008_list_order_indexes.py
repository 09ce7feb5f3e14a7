"""Two indexes for a lead's lists at 10,000 people (issue 11): everyone in an organisation by
name (the list reads the first fifty names, not every relationship joined to its person and
sorted: 4.8 → 0.2 ms), and the quiet ones by the day they were last in touch (or started),
for the home's few and the list behind them (2.2 → 1.3 and 1.9 → 0.2 ms)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0007_spend_totals"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["chosen_name"], name="coaching_person_chosen_name"),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                models.F("organisation"),
                Coalesce("last_contact_on", "started_on"),
                name="coaching_relationship_contact",
            ),
        ),
    ]
