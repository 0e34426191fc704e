"""What a statement's fields, comments and imported files may hold: one place for the operations
that enforce it and the forms that say it."""

TITLE_MAX = 300
NOTE_MAX = 300
COMMENT_MAX = 5_000
QUOTE_MAX = 1_000
EXTENSIONS = (".docx", ".md", ".txt")  # the files the import takes
