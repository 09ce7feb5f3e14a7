"""Each barrier keeps its person's organisation, and the withdrawals of shared barriers get an
index of their own (issue 11): convening counts and reads shared barriers across an area
without joining every person there or seeking among every choice."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Barrier = apps.get_model("coaching", "Barrier")
    Person = apps.get_model("coaching", "Person")
    of_person = Person.objects.filter(pk=OuterRef("person_id")).values("organisation_id")
    Barrier.objects.update(organisation_id=Subquery(of_person[:1]))


# Nothing in Alongside moves a person to another organisation, but should anything ever do so
# (a fix made in the database, a future transfer), their barriers go with them: the database
# keeps the copy true, whatever wrote the change.
SQLITE = [
    """CREATE TRIGGER person_barriers_organisation AFTER UPDATE OF organisation_id
        ON coaching_person BEGIN
        UPDATE coaching_barrier SET organisation_id = NEW.organisation_id
        WHERE person_id = NEW.id; END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS person_barriers_organisation;"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION coaching_person_barriers_organisation() RETURNS trigger AS $$
        BEGIN
            UPDATE coaching_barrier SET organisation_id = NEW.organisation_id
            WHERE person_id = NEW.id AND organisation_id <> NEW.organisation_id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER coaching_person_barriers_organisation
        AFTER UPDATE OF organisation_id ON coaching_person FOR EACH ROW
        WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
        EXECUTE FUNCTION coaching_person_barriers_organisation();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS coaching_person_barriers_organisation ON coaching_person;",
    "DROP FUNCTION IF EXISTS coaching_person_barriers_organisation();",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_organisation_networks"),
        ("coaching", "0009_organisation_numbers"),
    ]

    operations = [
        migrations.AddField(
            model_name="barrier",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="barrier",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.AddIndex(
            model_name="consentevent",
            index=models.Index(
                condition=models.Q(("choice", "share_barriers"), ("given", False)),
                fields=["person"],
                name="consent_barriers_withdrawn_idx",
            ),
        ),
    ]
