"""Shared pieces of the browser tests."""

import time

# Headless Chromium says "HeadlessChrome" and would be dropped as a bot: read as a reader.
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def wait_for(check, timeout=8.0):
    """Poll ``check`` until it is true (the server records beacons and clicks on its own
    threads); its last answer after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()
