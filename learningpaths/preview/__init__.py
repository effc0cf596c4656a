"""Live preview for authors: ``manage.py preview [SOURCE]`` watches a content tree, rebuilds what
changed into the site's database and reloads the open page, with the diagnostics in an overlay."""
