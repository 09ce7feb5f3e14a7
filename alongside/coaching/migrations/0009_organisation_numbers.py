# ruff: noqa: S608 (SQL built from this file's own constants, no input)
"""An organisation's numbers at a glance (OrganisationNumber), kept by the database: triggers
on people and relationships add each change to the organisation's rows, on SQLite and
PostgreSQL, whatever wrote it (a service, a bulk load, erasure's deletes). Existing rows are
added up once here."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q, Sum

NUMBERS = "coaching_organisationnumber"
PEOPLE = "people"
OWN = "own allocations"
WITHOUT = "people without their own allocation"
RELATIONSHIPS = "relationships "


def _person_numbers(row: str, sign: str) -> list[tuple[str, str]]:
    """(name, SQL of the change) for one person's row, added (sign "") or taken away ("-")."""
    return [
        (f"'{PEOPLE}'", f"{sign}1"),
        (f"'{OWN}'", f"{sign}{row}.budget_allocation_pence"),
        (f"'{WITHOUT}'", f"{sign}(CASE WHEN {row}.budget_allocation_pence = 0 THEN 1 ELSE 0 END)"),
    ]


def _relationship_numbers(row: str, sign: str) -> list[tuple[str, str]]:
    return [(f"'{RELATIONSHIPS}' || {row}.state", f"{sign}1")]


def _sqlite_add(row: str, changes: list[tuple[str, str]]) -> str:
    values = ", ".join(f"({row}.organisation_id, {name}, {change})" for name, change in changes)
    return f"""INSERT INTO {NUMBERS} (organisation_id, name, number) VALUES {values}
        ON CONFLICT (organisation_id, name) DO UPDATE SET number = number + excluded.number;"""


def _sqlite_statements() -> list[str]:
    statements = []
    for table, numbers, columns in (
        ("coaching_person", _person_numbers, "organisation_id, budget_allocation_pence"),
        ("coaching_relationship", _relationship_numbers, "organisation_id, state"),
    ):
        name = table.removeprefix("coaching_") + "_numbers"
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
            f"{_sqlite_add('NEW', numbers('NEW', ''))} END;",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} BEGIN "
            f"{_sqlite_add('OLD', numbers('OLD', '-'))} {_sqlite_add('NEW', numbers('NEW', ''))} "
            "END;",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN "
            f"{_sqlite_add('OLD', numbers('OLD', '-'))} END;",
        ]
    return statements


SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_numbers_{when};"
    for table in ("person", "relationship")
    for when in ("insert", "update", "delete")
]


def _postgres_function(table: str, numbers) -> str:
    def add(row: str, sign: str) -> str:
        return " ".join(
            f"PERFORM {NUMBERS}_add({row}.organisation_id, {name}, ({change})::bigint);"
            for name, change in numbers(row, sign)
        )

    return f"""CREATE OR REPLACE FUNCTION {table}_numbers() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN {add("OLD", "-")} END IF;
            IF TG_OP <> 'DELETE' THEN {add("NEW", "")} END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;"""


def _postgres_statements() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {NUMBERS}_add(org bigint, what varchar, change bigint)
            RETURNS void AS $$
        BEGIN
            IF change = 0 THEN RETURN; END IF;
            INSERT INTO {NUMBERS} (organisation_id, name, number) VALUES (org, what, change)
            ON CONFLICT (organisation_id, name) DO UPDATE
                SET number = {NUMBERS}.number + EXCLUDED.number;
        END $$ LANGUAGE plpgsql;""",
        _postgres_function("coaching_person", _person_numbers),
        """CREATE TRIGGER coaching_person_numbers
            AFTER INSERT OR DELETE OR UPDATE OF organisation_id, budget_allocation_pence
            ON coaching_person FOR EACH ROW EXECUTE FUNCTION coaching_person_numbers();""",
        _postgres_function("coaching_relationship", _relationship_numbers),
        """CREATE TRIGGER coaching_relationship_numbers
            AFTER INSERT OR DELETE OR UPDATE OF organisation_id, state
            ON coaching_relationship
            FOR EACH ROW EXECUTE FUNCTION coaching_relationship_numbers();""",
    ]


POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS coaching_person_numbers ON coaching_person;",
    "DROP TRIGGER IF EXISTS coaching_relationship_numbers ON coaching_relationship;",
    "DROP FUNCTION IF EXISTS coaching_person_numbers();",
    "DROP FUNCTION IF EXISTS coaching_relationship_numbers();",
    f"DROP FUNCTION IF EXISTS {NUMBERS}_add(bigint, varchar, bigint);",
]


def add_up_existing(apps) -> None:
    """The numbers of what is already there, added up once (the triggers keep them after)."""
    Person = apps.get_model("coaching", "Person")
    Relationship = apps.get_model("coaching", "Relationship")
    OrganisationNumber = apps.get_model("coaching", "OrganisationNumber")
    numbers = []
    people = Person.objects.values_list("organisation_id").annotate(
        n=Count("id"),
        own=Sum("budget_allocation_pence"),
        without=Count("id", filter=Q(budget_allocation_pence=0)),
    )
    for organisation_id, n, own, without in people:
        for name, number in ((PEOPLE, n), (OWN, own or 0), (WITHOUT, without)):
            numbers.append(
                OrganisationNumber(organisation_id=organisation_id, name=name, number=number)
            )
    states = Relationship.objects.values_list("organisation_id", "state").annotate(n=Count("id"))
    for organisation_id, state, n in states:
        numbers.append(
            OrganisationNumber(
                organisation_id=organisation_id, name=RELATIONSHIPS + state, number=n
            )
        )
    OrganisationNumber.objects.all().delete()
    OrganisationNumber.objects.bulk_create(numbers)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgres_statements}.get(vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql)
    add_up_existing(apps)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_organisation_networks"),
        ("coaching", "0008_list_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationNumber",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60)),
                ("number", models.BigIntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "name"), name="organisation_number"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
