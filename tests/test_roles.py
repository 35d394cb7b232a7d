"""The role groups the migrations create give each role what DESIGN.md says, no more."""

import pytest
from django.contrib.auth.models import Group, User

pytestmark = pytest.mark.django_db


def member(group_name):
    user = User.objects.create_user(username=group_name.lower(), password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_editors_choose_products_but_cannot_change_them(client, product_factory):
    product = product_factory()
    client.force_login(member("Editors"))
    assert client.get("/admin/snippets/choose/catalogue/product/").status_code == 200
    assert client.get("/admin/sku_chooser/").status_code == 200
    assert client.get(f"/admin/snippets/catalogue/product/edit/{product.pk}/").status_code in (302, 403)
    assert client.get("/admin/snippets/content/author/add/").status_code == 200


def test_marketers_get_into_the_admin_but_cannot_edit_pages_or_products(client, site_root, product_factory):
    product = product_factory()
    user = member("Marketers")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    assert not site_root.permissions_for_user(user).can_edit()
    assert client.get(f"/admin/snippets/catalogue/product/edit/{product.pk}/").status_code in (302, 403)


def test_operators_edit_the_catalogue_and_orders(client, product_factory):
    product = product_factory()
    user = member("Operators")
    client.force_login(user)
    assert client.get(f"/admin/snippets/catalogue/product/edit/{product.pk}/").status_code == 200
    assert user.has_perm("orders.change_order")
    assert not user.has_perm("catalogue.delete_product")
