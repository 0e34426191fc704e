"""Form data as the pages post it, valid unless a test overrides a field."""


def registration(**overrides):
    """The registration form of a person who registers a new organization."""
    data = dict(
        name="Amina Diallo",
        email="amina@diaspora.example",
        password="a long enough passphrase",
        password_again="a long enough passphrase",
        mode="new",
        org_name="Diaspora Voices Senegal",
        org_acronym="DVS",
        org_country="SN",
        org_kind="migrant_led",
        org_website="https://dvs.example.org",
        organization="",
    )
    data.update(overrides)
    return data


def round_form(**overrides):
    """A round's form, in the round's local time."""
    return {
        "number": "2",
        "title": "Second round of intergovernmental negotiations",
        "place": "United Nations Headquarters, New York",
        "meeting_start": "2018-03-12",
        "meeting_end": "2018-03-15",
        "timezone": "America/New_York",
        "opens_at": "2018-02-26T09:00",
        "signon_deadline": "2018-03-07T18:00",
        "submission_deadline": "2018-03-09T18:00",
        "areas": "Irregular – Regular\nMigrant – Refugee",
        "auto_approve_verified": "y",
    } | overrides


def edit_form(statement, body, base=None, **extra):
    """The edit form saving `body` over the current revision (or `base`)."""
    return {
        "base_revision_id": base if base is not None else statement.current_revision_id,
        "title": statement.title,
        "body": body,
        "note": "",
        "substantive": "y",
        "action": "save",
        **extra,
    }
