"""The dashboard's pages: each module has a ``page()`` that app.py registers."""
