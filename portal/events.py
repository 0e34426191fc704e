"""The events that cross features: blinker signals, sent where the change happens and connected
to their receivers by create_app (portal/__init__.py, `_connect_events`) — never by importing a
module, so a receiver runs whether or not anything imported it, and a feature never imports the
feature that reacts to it (docs/architecture.md).

- `revision_created` (statement; revision, substantive), sent by statements/operations.py when
  a revision is saved: signons/operations.py `on_revision_created` asks the signatories of an
  earlier text to re-confirm (the sign-on e-mails).
- `statement_approved` (statement; review), sent by review/operations.py `decide`:
  exports/prepared.py `prepare` builds the official PDF and the other files.
- `translation_saved` (statement), sent by statements/translation_operations.py when a
  translation of a published statement gets a new revision: exports/prepared.py
  `prepare_translations` builds that language's PDF and DOCX.
- `email_proven` (user; how), sent by organizations/invitations.py when an invitation to the
  address is accepted: auth/operations.py `mark_email_confirmed`.

Receivers run in the sender's transaction, in the order connected; what they raise reaches the
sender, as a direct call's would.
"""

from blinker import Namespace

signals = Namespace()
revision_created = signals.signal("revision-created")
statement_approved = signals.signal("statement-approved")
translation_saved = signals.signal("translation-saved")
email_proven = signals.signal("email-proven")
