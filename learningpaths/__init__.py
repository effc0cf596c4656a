"""learningpaths: a learning-path platform for AI education (Django project package)."""
