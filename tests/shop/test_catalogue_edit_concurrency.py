"""Two operators saving the same product at the same moment, on PostgreSQL: one save
wins, the other is refused as stale; neither undoes a sale."""

import pytest
from django.db import connection
from django.test import Client

from shop.catalogue.models import SKU, Product
from tests.concurrency import run_in_threads
from tests.shop.test_catalogue_edit import STALE, edit_url, opened_form, sell

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]


def test_two_saves_of_forms_opened_at_once_make_one_change_and_one_refusal(product_factory, soup,
                                                                           django_user_model):
    # given two operators who opened the same product, and a sale made after they did
    kettle = product_factory(title="Sage Kettle", summary="Boils fast.", skus=[
        {"code": "KET-1", "price": "129.00", "stock": 10},
    ])
    clients, forms = [], []
    for name, summary in (("ann", "Ann's summary."), ("bo", "Bo's summary.")):
        client = Client()
        client.force_login(django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw"))
        form = opened_form(client, kettle, soup)
        form["summary"] = summary
        clients.append(client)
        forms.append(form)
    sell("KET-1", 2)

    # when both save at the same moment
    # (results arrive in the order the threads finish: each carries its own form)
    answers, errors = run_in_threads(2, lambda i: (forms[i], clients[i].post(edit_url(kettle), forms[i])))

    # then one change is saved and the other operator is told why theirs was not
    assert errors == []
    assert sorted(answer.status_code for _form, answer in answers) == [200, 302]
    refused = next(answer for _form, answer in answers if answer.status_code == 200)
    assert STALE in refused.content.decode()
    winner = next(form for form, answer in answers if answer.status_code == 302)["summary"]
    product = Product.objects.get(pk=kettle.pk)
    assert (product.summary, product.version) == (winner, 1)
    # and the sale is kept
    assert SKU.objects.get(code="KET-1").stock == 8
