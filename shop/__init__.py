"""The commerce core. It never imports ``content`` or ``search``: an article is a Page id here."""
