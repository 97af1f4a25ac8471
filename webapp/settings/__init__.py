"""System settings an administrator changes from the console (site name, registration open
or closed, default language): stored in the database and applied at once."""
