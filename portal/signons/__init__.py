"""Sign-on: organizations co-sign statements; coordinators approve."""
