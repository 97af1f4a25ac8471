"""Publishing a profile: its random revocable token, the QR code that leads to the public
page, the fields the owner chose to show, and the printable card. Views attach to the
directory blueprint (webapp/directory/publishing/routes.py)."""
