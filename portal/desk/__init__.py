"""The desk: each person's waiting work in counts that link to it, the reminders that chase
organizations before a deadline, and the round page's list of statements open for signature."""
