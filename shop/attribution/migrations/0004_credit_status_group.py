"""Credits carry their order's status group, so report status filters read the credit
rows alone instead of joining every order."""

from django.db import migrations, models

#: ``shop.attribution.models.STATUS_GROUP_OF`` as it was when this migration was written.
GROUP_STATUSES = {
    "pending": ["pending_payment"],
    "paid": ["paid", "shipped", "delivered", "refunded"],
    "cancelled": ["cancelled"],
}


def fill(apps, schema_editor):
    credit = apps.get_model("attribution", "AttributionCredit")
    for group, statuses in GROUP_STATUSES.items():
        credit.objects.filter(order__status__in=statuses).update(status_group=group)


class Migration(migrations.Migration):

    dependencies = [
        ("attribution", "0003_rollup_state_row"),
        ("orders", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="attributioncredit",
            name="status_group",
            field=models.CharField(
                blank=True, max_length=10,
                choices=[("pending", "Awaiting payment"), ("paid", "Paid"), ("cancelled", "Cancelled")],
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
