"""Duplicates: profiles that share an email or a phone number, flagged for recruiters and
merged into one person (webapp/directory/duplicates/services.py). Views attach to the
directory blueprint (webapp/directory/duplicates/routes.py)."""
