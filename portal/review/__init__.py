"""Submission, coordinator review, publication of approved statements."""
