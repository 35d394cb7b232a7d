"""/healthz: what a load balancer asks before sending readers to this process."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    # when a load balancer asks
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    # then the answer is a plain "ok" that no cache keeps, and no cookie
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies

