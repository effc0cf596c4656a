"""Full-text indexes for the site search (``selectors_search``).

SQLite: FTS5 tables over the object and path rows (external content: the words are indexed, the text
stays in the rows), kept in step by triggers, so every write of ``content_sync`` (bulk or not) is
indexed in the same transaction. PostgreSQL needs nothing stored: its search reads the rows
(``to_tsvector`` per language), and other databases get no index.
"""

from django.db import migrations

# (FTS table, content table, indexed columns). The column names are the content table's: FTS5 reads
# them from there when it needs a row's text (deletes).
INDEXES = (
    ("paths_object_search", "paths_learningobject", ("title", "keywords", "description", "text", "teacher_text")),
    ("paths_path_search", "paths_learningpath", ("title", "keywords", "description")),
)
# Porter stems English words; unicode61 folds case and (2) accents, so "neuronen" finds "Neuronen" and
# "reseau" finds "réseau". Query terms go through the same tokenizer.
TOKENIZE = "porter unicode61 remove_diacritics 2"


def _sql(fts: str, table: str, columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    forward = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        # Only when an indexed column changes: content_sync's saves also move updated_at.
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    backward = [f"DROP TRIGGER IF EXISTS {fts}_{t}" for t in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {fts}"]
    return forward, backward


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            try:
                cursor.execute("CREATE VIRTUAL TABLE temp.paths_fts5_probe USING fts5(x)")
                cursor.execute("DROP TABLE temp.paths_fts5_probe")
            except Exception as exc:  # sqlite3.OperationalError: "no such module: fts5"
                raise RuntimeError(
                    "This Python's sqlite3 lacks FTS5, which the site search needs: use a Python whose "
                    "SQLite was built with FTS5 (Debian's and python.org's are), or PostgreSQL."
                ) from exc
    for fts, table, columns in INDEXES:
        _run(schema_editor, _sql(fts, table, columns)[0])


def backwards(apps, schema_editor):
    for fts, table, columns in INDEXES:
        _run(schema_editor, _sql(fts, table, columns)[1])


class Migration(migrations.Migration):
    dependencies = [
        ("paths", "0004_learningobject_runtime"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
