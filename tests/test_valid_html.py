"""The Nu HTML Checker (vnu-jar from npm, run on Java) finds no error in the HTML of
the reader's pages, in Chinese and in English."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.reader_pages import customer_pages, reader_content

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.skipif(not VNU.exists(), reason="the Nu HTML Checker is not installed: run `npm ci`"),
    pytest.mark.skipif(shutil.which("java") is None, reason="java is missing: install default-jre-headless"),
]


def nu_errors(files: list[Path]) -> list[str]:
    """Every error the checker reports, as 'file:line: message'; one Java run for all files
    (its start-up is the slow part)."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )
    report = json.loads(run.stderr or run.stdout)
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: {message['message']} "
        f"[{message.get('extract', '').strip()}]"
        for message in report["messages"] if message["type"] == "error"
    ]


@pytest.mark.django_db
def test_reader_pages_are_valid_html_in_both_languages(
    client, django_user_model, article_factory, product_factory, image_factory, author_factory, tmp_path,
):
    # given real content, and a customer with an order and a filled cart
    public = reader_content(article_factory=article_factory, product_factory=product_factory,
                            image_factory=image_factory, author_factory=author_factory)
    customer = django_user_model.objects.create_user(username="mei@example.com", email="mei@example.com",
                                                     password="tea-and-kettles-42")
    signed_in = Client()
    private = customer_pages(signed_in, user=customer)

    # when every page is fetched in Chinese and in English and saved
    files = []
    for language in ("zh-hans", "en"):
        for pages, reader in ((public, client), (private, signed_in)):
            for name, path in pages.items():
                response = reader.get(path, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (language, name, response.status_code)
                file = tmp_path / f"{language}-{name.replace(' ', '-')}.html"
                file.write_bytes(response.content)
                files.append(file)

    # then the checker finds no error in any of them
    assert len(files) == 30
    assert nu_errors(files) == []
