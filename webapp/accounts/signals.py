"""What accounts tell the rest of the app, so features can follow without accounts knowing them.

- `account_created(user)`: a new account exists (flushed, not yet committed).
- `account_updated(user, changes)`: name, phone, bio or email changed (before the commit).
"""

from blinker import Namespace

_signals = Namespace()
account_created = _signals.signal("account-created")
account_updated = _signals.signal("account-updated")
