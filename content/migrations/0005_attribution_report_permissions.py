"""Who sees the attribution reports: Marketers every article's numbers
(``view_attribution_reports``), Editors the numbers of the articles they can edit
(``view_own_attribution_reports``). The permissions hang on the article page type; the
model declares none, so they are created here."""

from django.db import migrations

PERMISSIONS = {
    "view_attribution_reports": ("Can view attribution reports of every article", "Marketers"),
    "view_own_attribution_reports": ("Can view attribution reports of the articles they can edit", "Editors"),
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="content", model="articlepage")
    for codename, (name, group_name) in PERMISSIONS.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="content", codename__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_roles"),
        ("attribution", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
