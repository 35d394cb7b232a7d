"""Editors manage the search synonyms (a snippet: Snippets → Search synonyms)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="search",
        codename__in=[f"{action}_searchsynonym" for action in ACTIONS],
    )


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create this app's now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_searchsynonym"),
        ("content", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
