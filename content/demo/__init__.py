"""Demo data for developers: ``manage.py seed_demo`` (see ``services.demo_seed``)."""
