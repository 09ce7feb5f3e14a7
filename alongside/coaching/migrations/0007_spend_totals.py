# ruff: noqa: S608 (SQL built from this file's own constants, no input)
"""An organisation's spending by kind and month (SpendTotal), kept by the database: triggers
on spend requests and payments add each change to its month's row, on SQLite and PostgreSQL,
whatever wrote it (a service, a bulk load, erasure's deletes). Existing rows are added up once
here. The month a request counts in is the month it was asked for in the site's time zone
(settings.TIME_ZONE, written into the triggers: it is fixed in settings, not configured)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

TOTALS = "coaching_spendtotal"
COMMITTED = "('approved', 'paid')"
COLUMNS = (
    "organisation_id, category, month, committed_pence, committed_count, paid_pence, paid_count"
)


def _sqlite_upsert(select: str) -> str:
    # `select` always has a WHERE or GROUP BY: SQLite needs one before ON CONFLICT.
    return f"""INSERT INTO {TOTALS} ({COLUMNS}) {select}
        ON CONFLICT (organisation_id, category, month) DO UPDATE SET
        committed_pence = committed_pence + excluded.committed_pence,
        committed_count = committed_count + excluded.committed_count,
        paid_pence = paid_pence + excluded.paid_pence,
        paid_count = paid_count + excluded.paid_count;"""


def _sqlite_month(row: str) -> str:
    # Django's own function for TruncMonth on SQLite, registered on every connection it opens.
    zone = settings.TIME_ZONE
    return f"substr(django_datetime_trunc('month', {row}.created_at, '{zone}', 'UTC'), 1, 10)"


def _sqlite_statements() -> list[str]:
    committed = (
        "SELECT p.organisation_id, {r}.category, {month}, {sign}{r}.amount_pence, {sign}1, 0, 0 "
        "FROM coaching_person p WHERE p.id = {r}.person_id AND {r}.status IN " + COMMITTED
    )
    payments_of = (
        "SELECT p.organisation_id, {r}.category, substr(pay.paid_on, 1, 8) || '01', 0, 0, "
        "{sign}SUM(pay.amount_pence), {sign}COUNT(*) FROM coaching_payment pay "
        "JOIN coaching_person p ON p.id = {r}.person_id "
        "WHERE pay.spend_request_id = {r}.id {extra} GROUP BY 3"
    )
    moved = "AND (OLD.category IS NOT NEW.category OR OLD.person_id IS NOT NEW.person_id)"
    payment = (
        "SELECT p.organisation_id, s.category, substr({r}.paid_on, 1, 8) || '01', 0, 0, "
        "{sign}{r}.amount_pence, {sign}1 FROM coaching_spendrequest s "
        "JOIN coaching_person p ON p.id = s.person_id WHERE s.id = {r}.spend_request_id"
    )
    tidy = f"DELETE FROM {TOTALS} WHERE committed_count = 0 AND paid_count = 0;"

    def add(template: str, r: str, sign: str, extra: str = "") -> str:
        return _sqlite_upsert(template.format(r=r, sign=sign, month=_sqlite_month(r), extra=extra))

    def trigger(name: str, when: str, table: str, steps: list[str]) -> str:
        return f"CREATE TRIGGER {name} AFTER {when} ON {table} BEGIN {' '.join(steps)} END;"

    return [
        trigger(
            "spendrequest_totals_insert",
            "INSERT",
            "coaching_spendrequest",
            [add(committed, "NEW", "")],
        ),
        trigger(
            "spendrequest_totals_update",
            "UPDATE",
            "coaching_spendrequest",
            [
                add(committed, "OLD", "-"),
                add(payments_of, "OLD", "-", moved),
                add(committed, "NEW", ""),
                add(payments_of, "NEW", "", moved),
                tidy,
            ],
        ),
        trigger(
            "spendrequest_totals_delete",
            "DELETE",
            "coaching_spendrequest",
            [add(committed, "OLD", "-"), add(payments_of, "OLD", "-"), tidy],
        ),
        trigger("payment_totals_insert", "INSERT", "coaching_payment", [add(payment, "NEW", "")]),
        trigger(
            "payment_totals_update",
            "UPDATE",
            "coaching_payment",
            [add(payment, "OLD", "-"), add(payment, "NEW", ""), tidy],
        ),
        trigger(
            "payment_totals_delete", "DELETE", "coaching_payment", [add(payment, "OLD", "-"), tidy]
        ),
    ]


SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "spendrequest_totals_insert",
        "spendrequest_totals_update",
        "spendrequest_totals_delete",
        "payment_totals_insert",
        "payment_totals_update",
        "payment_totals_delete",
    )
]


def _postgres_statements() -> list[str]:
    month = "(date_trunc('month', {r}.created_at AT TIME ZONE '" + settings.TIME_ZONE + "'))::date"
    return [
        f"""CREATE OR REPLACE FUNCTION {TOTALS}_add(org bigint, cat varchar, m date,
            c_pence bigint, c_n integer, p_pence bigint, p_n integer) RETURNS void AS $$
        BEGIN
            IF org IS NULL OR (c_n = 0 AND p_n = 0) THEN RETURN; END IF;
            INSERT INTO {TOTALS} ({COLUMNS}) VALUES (org, cat, m, c_pence, c_n, p_pence, p_n)
            ON CONFLICT (organisation_id, category, month) DO UPDATE SET
                committed_pence = {TOTALS}.committed_pence + EXCLUDED.committed_pence,
                committed_count = {TOTALS}.committed_count + EXCLUDED.committed_count,
                paid_pence = {TOTALS}.paid_pence + EXCLUDED.paid_pence,
                paid_count = {TOTALS}.paid_count + EXCLUDED.paid_count;
            IF c_n < 0 OR p_n < 0 THEN
                DELETE FROM {TOTALS} WHERE organisation_id = org AND category = cat
                    AND month = m AND committed_count = 0 AND paid_count = 0;
            END IF;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE OR REPLACE FUNCTION coaching_spendrequest_totals() RETURNS trigger AS $$
        DECLARE org bigint; moved boolean := TG_OP = 'DELETE';
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                moved := OLD.category IS DISTINCT FROM NEW.category
                    OR OLD.person_id IS DISTINCT FROM NEW.person_id;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                SELECT organisation_id INTO org FROM coaching_person WHERE id = OLD.person_id;
                IF OLD.status IN {COMMITTED} THEN
                    PERFORM {TOTALS}_add(org, OLD.category, {month.format(r="OLD")},
                        -OLD.amount_pence::bigint, -1, 0, 0);
                END IF;
                IF moved THEN
                    PERFORM {TOTALS}_add(org, OLD.category, m.month, 0, 0, -m.pence, -m.n)
                    FROM (SELECT date_trunc('month', paid_on)::date AS month,
                          SUM(amount_pence)::bigint AS pence, COUNT(*)::integer AS n
                          FROM coaching_payment WHERE spend_request_id = OLD.id GROUP BY 1) m;
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                SELECT organisation_id INTO org FROM coaching_person WHERE id = NEW.person_id;
                IF NEW.status IN {COMMITTED} THEN
                    PERFORM {TOTALS}_add(org, NEW.category, {month.format(r="NEW")},
                        NEW.amount_pence::bigint, 1, 0, 0);
                END IF;
                IF TG_OP = 'UPDATE' AND moved THEN
                    PERFORM {TOTALS}_add(org, NEW.category, m.month, 0, 0, m.pence, m.n)
                    FROM (SELECT date_trunc('month', paid_on)::date AS month,
                          SUM(amount_pence)::bigint AS pence, COUNT(*)::integer AS n
                          FROM coaching_payment WHERE spend_request_id = NEW.id GROUP BY 1) m;
                END IF;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER coaching_spendrequest_totals
            AFTER INSERT OR UPDATE OR DELETE ON coaching_spendrequest
            FOR EACH ROW EXECUTE FUNCTION coaching_spendrequest_totals();""",
        f"""CREATE OR REPLACE FUNCTION coaching_payment_totals() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM {TOTALS}_add(p.organisation_id, s.category,
                    date_trunc('month', OLD.paid_on)::date, 0, 0, -OLD.amount_pence::bigint, -1)
                FROM coaching_spendrequest s JOIN coaching_person p ON p.id = s.person_id
                WHERE s.id = OLD.spend_request_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM {TOTALS}_add(p.organisation_id, s.category,
                    date_trunc('month', NEW.paid_on)::date, 0, 0, NEW.amount_pence::bigint, 1)
                FROM coaching_spendrequest s JOIN coaching_person p ON p.id = s.person_id
                WHERE s.id = NEW.spend_request_id;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER coaching_payment_totals
            AFTER INSERT OR UPDATE OR DELETE ON coaching_payment
            FOR EACH ROW EXECUTE FUNCTION coaching_payment_totals();""",
    ]


POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS coaching_spendrequest_totals ON coaching_spendrequest;",
    "DROP TRIGGER IF EXISTS coaching_payment_totals ON coaching_payment;",
    "DROP FUNCTION IF EXISTS coaching_spendrequest_totals();",
    "DROP FUNCTION IF EXISTS coaching_payment_totals();",
    f"DROP FUNCTION IF EXISTS {TOTALS}_add"
    "(bigint, varchar, date, bigint, integer, bigint, integer);",
]


def _add_up_existing(apps) -> None:
    """The totals of what is already there, added up once (the triggers keep them after)."""
    SpendRequest = apps.get_model("coaching", "SpendRequest")
    Payment = apps.get_model("coaching", "Payment")
    SpendTotal = apps.get_model("coaching", "SpendTotal")
    rows: dict = {}

    def row(organisation_id, category, month):
        key = (organisation_id, category, month.date() if hasattr(month, "date") else month)
        return rows.setdefault(
            key, {"committed_pence": 0, "committed_count": 0, "paid_pence": 0, "paid_count": 0}
        )

    committed = (
        SpendRequest.objects.filter(status__in=["approved", "paid"])
        .annotate(month=TruncMonth("created_at"))
        .values_list("person__organisation_id", "category", "month")
        .annotate(pence=Sum("amount_pence"), n=Count("id"))
    )
    for organisation_id, category, month, pence, n in committed:
        found = row(organisation_id, category, month)
        found["committed_pence"] += pence
        found["committed_count"] += n
    paid = (
        Payment.objects.annotate(month=TruncMonth("paid_on"))
        .values_list("spend_request__person__organisation_id", "spend_request__category", "month")
        .annotate(pence=Sum("amount_pence"), n=Count("id"))
    )
    for organisation_id, category, month, pence, n in paid:
        found = row(organisation_id, category, month)
        found["paid_pence"] += pence
        found["paid_count"] += n
    SpendTotal.objects.all().delete()
    SpendTotal.objects.bulk_create(
        SpendTotal(organisation_id=o, category=c, month=m, **sums)
        for (o, c, m), sums in rows.items()
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgres_statements}.get(vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql)
    _add_up_existing(apps)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_organisation_networks"),
        ("coaching", "0006_spend_status_created"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpendTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("category", models.CharField(blank=True, max_length=60)),
                ("month", models.DateField()),
                ("committed_pence", models.BigIntegerField(default=0)),
                ("committed_count", models.IntegerField(default=0)),
                ("paid_pence", models.BigIntegerField(default=0)),
                ("paid_count", models.IntegerField(default=0)),
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
                        fields=("organisation", "category", "month"), name="spend_total_key"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
