"""The inbox, a conversation, a new conversation, and the notifications page.

Every page works without JavaScript (forms post and redirect, links page through older
messages); htmx swaps the fragments in place and the socket at /ws keeps them live.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.core.errors import ServiceError
from webapp.core.forms import show_errors
from webapp.core.htmx import is_htmx, redirect_to, render
from webapp.core.navigation import nav_badge, nav_item
from webapp.core.pagination import page_args
from webapp.core.permissions import can
from webapp.core.security import safe_next
from webapp.messaging import attachments, bp, notifications_bp, services
from webapp.messaging.forms import AddParticipantForm, EmptyForm, MessageForm, NewConversationForm
from webapp.messaging.presenters import MessageView

nav_item("messaging.inbox", _l("Messages"), "chat-dots", permission="messaging.use", order=80,
         active_prefix="messaging.", badge="messages")


@bp.app_template_filter("chat_time")
def chat_time(value, with_time: bool = False) -> str:
    """A short time: the hour today, else the day (and the hour, for a message)."""
    from flask_babel import format_date, format_datetime, format_time

    from webapp.core.db import utcnow

    if value is None:
        return ""
    if value.date() == utcnow().date():
        return format_time(value, "short")
    if with_time:
        return format_datetime(value, "short")
    if value.year == utcnow().year:
        return format_date(value, "d MMM")
    return format_date(value, "medium")


nav_badge("messages")(services.unread_count_query)
nav_badge("notifications")(services.unread_notification_count_query)


def _me():
    return current_user._get_current_object()


@login_required
def _signed_in():
    return None


@bp.before_request
def _signed_in_only():
    """Every page here is someone's own inbox (the socket answers its own handshake)."""
    if request.endpoint != "messaging.socket":
        return _signed_in()
    return None


# The inbox ------------------------------------------------------------------------------------

@bp.route("/messages")
def inbox():
    q = request.args.get("q", "").strip()[:100]
    page, per_page = page_args(request.args, default_per_page=20)
    conversations = services.list_conversations(_me(), page, per_page, query=q)
    hits = services.search_messages(_me(), q) if q else []
    return render("messaging/inbox.html", "messaging/partials/inbox_results.html",
                  conversations=conversations, hits=hits, q=q)


@bp.route("/messages/new", methods=["GET", "POST"])
def new_conversation():
    me = _me()
    form = NewConversationForm()
    if request.method == "GET":
        chosen = request.args.getlist("to") or request.args.getlist("participants")
        form.participants.data = [int(i) for i in chosen if i.isdigit()]
        form.subject.data = request.args.get("subject", "")[:200]
    context = _context_arg()
    if form.validate_on_submit():
        try:
            conversation = services.start_conversation(
                me, form.participants.data or [], subject=form.subject.data, context=context,
                first_message=form.text.data or None)
        except ServiceError as error:
            show_errors(form, error)
        else:
            return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))
    q = request.args.get("q", "").strip()[:100]
    people = services.people_to_write_to(me, q, selected=form.participants.data or [])
    status = 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render("messaging/new.html", None, status=status, form=form, people=people, q=q, context=context)


@bp.route("/messages/people")
def people():
    """The people offered in the "To" list, for a search typed in the new-conversation form."""
    selected = request.args.getlist("participants")
    q = request.args.get("q", "").strip()[:100]
    people = services.people_to_write_to(_me(), q, selected=selected)
    chosen = {int(i) for i in selected if i.isdigit()}
    return render("messaging/partials/people.html", None, people=people, chosen=chosen, q=q)


@bp.route("/messages/with/<int:user_id>", methods=["POST"])
def write_to(user_id: int):
    """The "Message" button of a person's page: their direct conversation, started or reopened."""
    conversation = services.start_direct_with(_me(), user_id)  # 404 / 403 when not allowed (CSRF checked)
    return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))


def _context_arg() -> tuple[str, int] | None:
    kind = (request.values.get("context_type") or "").strip()[:32]
    ident = request.values.get("context_id", "")
    return (kind, int(ident)) if kind and ident.isdigit() else None


# One conversation -------------------------------------------------------------------------------

def _conversation_page(conversation, form=None, status: int = 200, before=None):
    me = _me()
    window = services.conversation_messages(me, conversation, before=before)
    unread = services.summaries(me, [conversation])[0].unread
    return render(
        "messaging/conversation.html", "messaging/partials/older.html" if before else None, status=status,
        conversation=conversation, title=services.title_for(conversation, me.id), window=window,
        receipts=services.receipts(conversation), form=form or MessageForm(formdata=None),
        conversations=services.list_conversations(me, 1, 20).items, unread=unread, before=before,
        button_form=EmptyForm(formdata=None), add_form=AddParticipantForm(formdata=None),
        can_manage=can(me, "conversation.manage", conversation), newcomers=_newcomers(me, conversation),
        muted=services.is_muted(me, conversation),
    )


def _newcomers(me, conversation) -> list:
    """Staff may add people: those they may write to who are not in it yet."""
    if not can(me, "conversation.manage", conversation):
        return []
    inside = {p.user_id for p in conversation.active_participants}
    return [u for u in services.people_to_write_to(me, "", limit=60) if u.id not in inside]


@bp.route("/messages/<int:conversation_id>")
def conversation(conversation_id: int):
    conversation = services.get_conversation(_me(), conversation_id)
    return _conversation_page(conversation, before=request.args.get("before") or None)


@bp.route("/messages/<int:conversation_id>/send", methods=["POST"])
def send(conversation_id: int):
    me = _me()
    conversation = services.get_conversation(me, conversation_id, "conversation.post")
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = attachments.send_with_uploads(me, conversation, form.text.data,
                                                    request.files.getlist("attachments"))
        except ServiceError as error:
            show_errors(form, error)
        else:
            if not is_htmx():
                return redirect(url_for("messaging.conversation", conversation_id=conversation.id,
                                        _anchor=f"message-{message.id}"))
            return render("messaging/partials/sent.html", None, conversation=conversation,
                          form=MessageForm(formdata=None), message=getattr(message, "view", None) or MessageView.of(message))
    if not is_htmx():
        return _conversation_page(conversation, form=form, status=422)
    return render("messaging/partials/composer.html", None, status=422, conversation=conversation, form=form)


@bp.route("/messages/<int:conversation_id>/read", methods=["POST"])
def mark_read(conversation_id: int):
    me = _me()
    conversation = services.get_conversation(me, conversation_id)
    if EmptyForm().validate_on_submit():
        services.mark_read(me, conversation, request.form.get("message_id", type=int))
    if is_htmx():
        return "", 204
    return redirect(url_for("messaging.conversation", conversation_id=conversation.id))


@bp.route("/messages/<int:conversation_id>/messages/<int:message_id>/delete", methods=["POST"])
def delete_message(conversation_id: int, message_id: int):
    me = _me()
    message = services.get_message(me, message_id)
    if message.conversation_id != conversation_id:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.delete_message(me, message)
    if is_htmx():
        return render("messaging/partials/deleted.html", None, message_id=message_id)
    flash(_("The message is deleted."), "info")
    return redirect(url_for("messaging.conversation", conversation_id=conversation_id))


@bp.route("/messages/<int:conversation_id>/mute", methods=["POST"])
def mute(conversation_id: int):
    """Mute (muted=1) or unmute (muted=0) the conversation for me."""
    me = _me()
    conversation = services.get_conversation(me, conversation_id)
    if EmptyForm().validate_on_submit():
        muted = services.set_muted(me, conversation, request.form.get("muted") == "1")
        flash(_("The conversation is muted: no notifications for it.") if muted
              else _("The conversation is no longer muted."), "info")
    return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))


@bp.route("/messages/<int:conversation_id>/participants", methods=["POST"])
def add_participants(conversation_id: int):
    me = _me()
    conversation = services.get_conversation(me, conversation_id, "conversation.manage")
    form = AddParticipantForm()
    if form.validate_on_submit():
        try:
            for person in form.participants.data or []:
                services.add_participant(me, conversation, person)
        except ServiceError as error:
            flash(error.fields and " ".join(sum(error.fields.values(), [])) or error.message, "danger")
        else:
            flash(_("The conversation has new people."), "success")
    return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))


@bp.route("/messages/<int:conversation_id>/participants/<int:user_id>/remove", methods=["POST"])
def remove_participant(conversation_id: int, user_id: int):
    me = _me()
    conversation = services.get_conversation(me, conversation_id)
    if EmptyForm().validate_on_submit():
        services.remove_participant(me, conversation, user_id)
        if user_id == me.id:
            flash(_("You left the conversation."), "info")
            return redirect_to(url_for("messaging.inbox"))
        flash(_("The person is no longer in the conversation."), "info")
    return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))


@bp.route("/messages/attachments/<int:file_id>")
def attachment(file_id: int):
    """A file of a message: to the people of its conversation only (images inline, documents
    as sandboxed downloads, as every stored file is served)."""
    from webapp.files.routes import send_stored

    response = send_stored(attachments.attachment_for(_me(), file_id), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Notifications -------------------------------------------------------------------------------------

@notifications_bp.before_request
def _signed_in_for_notifications():
    return _signed_in()


@notifications_bp.route("/notifications")
def index():
    page, per_page = page_args(request.args, default_per_page=20)
    unread_only = request.args.get("filter") == "unread"
    listing = services.list_notifications(_me(), page, per_page, unread_only=unread_only)
    return render("messaging/notifications.html", "messaging/partials/notification_list.html",
                  notifications=listing, unread_only=unread_only, button_form=EmptyForm(formdata=None))


@notifications_bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def read(notification_id: int):
    notification = services.get_notification(_me(), notification_id)
    if EmptyForm().validate_on_submit():
        notification = services.mark_notification_read(_me(), notification_id)
    if is_htmx():
        return render("messaging/partials/notification.html", None, notification=notification,
                      button_form=EmptyForm(formdata=None))
    return redirect(safe_next(request.form.get("next"), url_for("notifications.index")))


@notifications_bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def open_one(notification_id: int):
    """Mark it read and go where it points (a page of this site only)."""
    notification = services.get_notification(_me(), notification_id)
    if EmptyForm().validate_on_submit():
        services.mark_notification_read(_me(), notification_id)
    return redirect_to(safe_next(notification.link, url_for("notifications.index")))


@notifications_bp.route("/notifications/read-all", methods=["POST"])
def read_all():
    if EmptyForm().validate_on_submit():
        count = services.mark_all_notifications_read(_me())
        if count:
            flash(_("All notifications are marked as read."), "success")
    return redirect_to(url_for("notifications.index"))
