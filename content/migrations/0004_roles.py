"""The admin roles from DESIGN.md as groups: Editors write pages and choose products,
Marketers read reports (their report permissions arrive with the reports), Operators
run the catalogue, stock and orders. Later migrations extend these lists."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editors": [
        ("content", "author", ("add", "change", "view")),
        ("catalogue", "product", ("view",)),
        ("catalogue", "sku", ("view",)),
        ("catalogue", "brand", ("view",)),
        ("catalogue", "category", ("view",)),
    ],
    "Marketers": [
        ("catalogue", "product", ("view",)),
    ],
    "Operators": [
        ("catalogue", "product", ("add", "change", "view")),
        ("catalogue", "sku", ("add", "change", "view")),
        ("catalogue", "brand", ("add", "change", "view")),
        ("catalogue", "category", ("add", "change", "view")),
        ("orders", "order", ("change", "view")),
    ],
}


def ensure_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, model, actions in grants:
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_alter_articlepage_body"),
        ("catalogue", "0001_initial"),
        ("orders", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(ensure_roles, migrations.RunPython.noop)]
