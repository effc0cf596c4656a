"""In-page Python: self-hosted Pyodide, the engine packaged for the browser, cells and widgets.

``assets`` and ``bundle`` are plain Python (no Django import) so that ``scripts/vendor_assets.py``
can use them before Django is configured.
"""
