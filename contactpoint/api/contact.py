"""The caller's e-mail address for notifications: read, give (a verification link is sent
to it), change which kinds of message notify, remove."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.auth import api_citizen
from contactpoint.notifications import contact as contacts
from contactpoint.notifications import give_address
from contactpoint.platform.i18n import current_language

blp = Blueprint(
    "contact_api",
    __name__,
    url_prefix="/api/v1/me/contact",
    description="The logged-in citizen's e-mail address for notifications of new messages.",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
KINDS = validate.OneOf(contacts.KINDS)


class ContactSchema(Schema):
    email = fields.String(allow_none=True, metadata={"description": "null: none given."})
    verified = fields.Boolean(metadata={"description": "The link sent to it was followed."})
    refused = fields.Boolean(
        metadata={"description": "The mail server refused it: give it again, or another."}
    )
    muted_kinds = fields.List(
        fields.String(validate=KINDS),
        metadata={"description": "The kinds of message that send no e-mail."},
    )


class ContactRequest(Schema):
    email = fields.String(
        required=True, validate=validate.Length(max=254), metadata={"example": "anna@example.se"}
    )
    muted_kinds = fields.List(fields.String(validate=KINDS), load_default=None)


@blp.route("")
class Contact(MethodView):
    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.response(200, ContactSchema)
    def get(self) -> dict[str, Any]:
        """The caller's address for notifications, and whether it is verified."""
        return contacts.contact_view(contacts.contact_of(api_citizen().id))

    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(ContactRequest)
    @blp.response(200, ContactSchema)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Give or change the address; a new one gets an e-mail with a link that verifies it
        (a plain GET), and is used only after that. Notifications are in the language of
        this request (`?lang=` or `Accept-Language`)."""
        person = api_citizen()
        try:
            give_address(person.id, body["email"], current_language())
        except contacts.AddressError as error:
            abort(422, message=f"Not an e-mail address: {error}", errors={"email": [str(error)]})
        if body.get("muted_kinds") is not None:
            contacts.set_muted(person.id, body["muted_kinds"])
        return contacts.contact_view(contacts.contact_of(person.id))

    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.response(204)
    @blp.alt_response(404, description="No address was given.")
    def delete(self) -> None:
        """Remove the address: no more e-mail."""
        if not contacts.remove_address(api_citizen().id):
            abort(404, message="There is no e-mail address to remove.")
