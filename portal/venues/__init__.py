"""What each UN venue accepts from civil society, as data (profiles.py), the one way words are
counted (counting.py) and the checks a statement meets against a round's requirements
(checks.py). A rules layer: it reads models and the text dialect and holds no view
(docs/venues.md)."""
